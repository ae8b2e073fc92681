"""The default fund and its first parameter version (SPEC §5 values); administrators add versions."""

from datetime import date
from decimal import Decimal

from django.db import migrations

MARKET_PREMIUMS = {"A": 0.4, "B": 0.8, "C": 2.0, "D": 3.8, "E": 6.3}


def seed(apps, schema_editor):
    Fund = apps.get_model("guarantees", "Fund")
    SchemeParameters = apps.get_model("guarantees", "SchemeParameters")
    fund, _created = Fund.objects.get_or_create(name="Fonds bruxellois de garantie / Brussels waarborgfonds")
    SchemeParameters.objects.get_or_create(
        fund=fund,
        effective_from=date(2024, 1, 1),
        defaults=dict(
            endowment=Decimal("5000000.00"),
            leverage_multiplier=Decimal("4.00"),
            alert_threshold=Decimal("80.00"),
            organisation_cap=Decimal("500000.00"),
            lender_loss_cap=Decimal("15.00"),
            max_coverage_amortising=Decimal("75.00"),
            max_coverage_credit_line=Decimal("50.00"),
            minimum_loan=Decimal("10000.00"),
            max_duration_amortising=120,
            max_duration_credit_line=36,
            offer_validity_months=6,
            fee_rate=Decimal("1.00"),
            fee_frequency="quarterly",
            call_after_arrears_days=90,
            interest_covered_days=90,
            de_minimis_ceiling=Decimal("300000.00"),
            de_minimis_years=3,
            market_premiums=MARKET_PREMIUMS,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
