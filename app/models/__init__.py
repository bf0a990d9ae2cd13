"""All models, imported here so that Alembic and the app see the whole schema."""

from app.models.area import Area, Neighbourhood
from app.models.budget import BudgetLine, regulation_budget_lines
from app.models.case import Case, CaseEvent, CaseYearAmount, CoApplicant, ReferenceSequence
from app.models.decision import Decision
from app.models.document import Document
from app.models.fit import VERDICTS, FitAssessment, GoalScore
from app.models.intake import InformationRequest
from app.models.letter_template import LetterTemplate
from app.models.notification import Notification
from app.models.objection import OUTCOMES, Objection
from app.models.organisation import Organisation, OrganisationMember
from app.models.programme import AreaProgramme, Indicator, ProgrammeGoal
from app.models.question import QUESTION_KINDS, ApplicationQuestion, CaseAnswer
from app.models.regulation import Regulation
from app.models.user import ROLES, STAFF_ROLES, User, UserRole

__all__ = [
    "OUTCOMES",
    "QUESTION_KINDS",
    "ROLES",
    "STAFF_ROLES",
    "VERDICTS",
    "ApplicationQuestion",
    "Area",
    "AreaProgramme",
    "BudgetLine",
    "Case",
    "CaseAnswer",
    "CaseEvent",
    "CaseYearAmount",
    "CoApplicant",
    "Decision",
    "Document",
    "FitAssessment",
    "GoalScore",
    "Indicator",
    "InformationRequest",
    "LetterTemplate",
    "Neighbourhood",
    "Notification",
    "Objection",
    "Organisation",
    "OrganisationMember",
    "ProgrammeGoal",
    "ReferenceSequence",
    "Regulation",
    "User",
    "UserRole",
    "regulation_budget_lines",
]
