from django.contrib import admin

from certeval.audit.admin import ReadOnlyAdmin
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignRole,
    CampaignTransition,
    Candidate,
    DeadlineReminder,
    Enrolment,
    ReviewerAssignment,
    Session,
)


@admin.register(Academy)
class AcademyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class CampaignRoleInline(admin.TabularInline):
    model = CampaignRole
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """The state changes only through the transitions (with their log): read-only here."""

    list_display = ("title", "framework_version", "state", "deposit_deadline", "prerequisite_policy")
    list_filter = ("state", "final_policy", "prerequisite_policy")
    search_fields = ("title",)
    readonly_fields = ("state", "framework_version", "created_at")
    inlines = (SessionInline, CampaignRoleInline)


@admin.register(CampaignTransition)
class CampaignTransitionAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "from_state", "to_state", "at", "by")
    list_filter = ("to_state",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("label", "campaign", "starts_at", "mode", "capacity")
    list_filter = ("mode", "campaign")


@admin.register(CampaignRole)
class CampaignRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "campaign", "academy", "session")
    list_filter = ("role", "campaign")
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("birth_name", "usual_name", "first_names", "birth_date", "email")
    search_fields = ("birth_name", "usual_name", "first_names", "email")
    readonly_fields = ("user",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
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
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "user", "role")
    list_filter = ("role",)
    autocomplete_fields = ("user",)


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "days_before", "sent_at")
    list_filter = ("days_before",)
