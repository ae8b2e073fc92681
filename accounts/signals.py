"""What accounts tells the rest of the system, sent by the services inside their transaction.

Accounts imports nothing from core or the schemes; core connects receivers (`core/receivers.py`)
that write the history rows and notify people. The signals are sent with `send`, not
`send_robust`: a receiver that fails rolls the change back, so a change never lacks its trace.
"""

from django.dispatch import Signal

# organisation, acting_user (on the web, the API or in the Django admin)
organisation_created = Signal()
# organisation, acting_user, changes: {field: {"before": ..., "after": ...}} (values left out for
# personal fields: {field: {}})
organisation_changed = Signal()
# recognition, acting_user
recognition_added = Signal()
# recognition, acting_user
recognition_verified = Signal()
# organisation, acting_user, before, after, reason
enterprise_number_corrected = Signal()
