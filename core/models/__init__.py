from .documents import Document, DocumentType
from .files import ProcessingDeadline, WorkflowFile
from .history import HistoryEntry
from .instruction import Assignment, ConflictDeclaration, ReviewRequest
from .messages import Message, MessageAttachment, MessageReceipt
from .notifications import Notification
from .payments import PaymentOrder, SepaBatch
from .references import ReferenceSequence
from .reminders import Reminder
from .snapshots import SubmissionSnapshot

__all__ = [
    "Assignment",
    "ConflictDeclaration",
    "ReviewRequest",
    "SepaBatch",
    "Document",
    "DocumentType",
    "HistoryEntry",
    "Message",
    "MessageAttachment",
    "MessageReceipt",
    "Notification",
    "PaymentOrder",
    "ProcessingDeadline",
    "ReferenceSequence",
    "Reminder",
    "SubmissionSnapshot",
    "WorkflowFile",
]
