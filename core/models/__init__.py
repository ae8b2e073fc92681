from .documents import Document, DocumentType
from .files import ProcessingDeadline, WorkflowFile
from .history import HistoryEntry
from .notifications import Notification
from .payments import PaymentOrder
from .references import ReferenceSequence

__all__ = [
    "Document",
    "DocumentType",
    "HistoryEntry",
    "Notification",
    "PaymentOrder",
    "ProcessingDeadline",
    "ReferenceSequence",
    "WorkflowFile",
]
