from django.contrib import admin

from certeval.audit.admin import ReadOnlyAdmin, ReadOnlyInline
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignTransition,
    Candidate,
    DeadlineReminder,
    Enrolment,
    Regroupement,
    RegroupementAcademy,
    ReviewerAssignment,
    Session,
)


@admin.register(Academy)
class AcademyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class SessionInline(ReadOnlyInline):
    model = Session


class CampaignRoleInline(ReadOnlyInline):
    model = CampaignRole


# Audited records change only through the services, which write the audit rows: read-only here.
@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "framework_version", "state", "deposit_deadline", "prerequisite_policy")
    list_filter = ("state", "final_policy", "prerequisite_policy")
    search_fields = ("title",)
    readonly_fields = ("state", "framework_version", "created_at")
    inlines = (SessionInline, CampaignRoleInline)


class RegroupementAcademyInline(ReadOnlyInline):
    model = RegroupementAcademy


@admin.register(Regroupement)
class RegroupementAdmin(ReadOnlyAdmin):
    list_display = ("name", "campaign", "president")
    list_filter = ("campaign",)
    inlines = (RegroupementAcademyInline,)


@admin.register(CampaignTransition)
class CampaignTransitionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "from_state", "to_state", "at", "by")
    list_filter = ("to_state",)


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("label", "campaign", "starts_at", "mode", "capacity")
    list_filter = ("mode", "campaign")


@admin.register(CampaignRole)
class CampaignRoleAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "campaign", "academy", "session")
    list_filter = ("role", "campaign")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("birth_name", "usual_name", "first_names", "birth_date", "email")
    search_fields = ("birth_name", "usual_name", "first_names", "email")
    readonly_fields = ("user",)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "campaign", "academy", "school_level", "training", "status")
    list_filter = ("campaign", "academy", "status", "school_level", "training")
    search_fields = ("candidate__birth_name", "candidate__usual_name", "candidate__email")
    readonly_fields = (
        "campaign",
        "candidate",
        "trainer_attestation_name",
        "trainer_attestation_sha256",
        "created_at",
    )


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "user", "role")
    list_filter = ("role",)
    autocomplete_fields = ("user",)


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "days_before", "sent_at")
    list_filter = ("days_before",)
