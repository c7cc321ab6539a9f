from . import directory_import
from .directory import provider_report, provider_save
from .referrals import (
    referral_accept,
    referral_approve_exception,
    referral_consent_withdraw,
    referral_draft,
    referral_move,
    referral_send,
    referrals_end_for_consent,
)

__all__ = [
    "directory_import",
    "provider_report",
    "provider_save",
    "referral_accept",
    "referral_approve_exception",
    "referral_consent_withdraw",
    "referral_draft",
    "referral_move",
    "referral_send",
    "referrals_end_for_consent",
]
