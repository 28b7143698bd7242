from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Agency
from homeward.cases.models import Consent
from homeward.core.forms import StyledFormMixin, VersionField
from homeward.geo.forms import LocationChoiceField
from homeward.geo.models import Level, Location
from homeward.registry.forms import DATE_WIDGET
from homeward.services.models import (
    PROVIDER_AGENCY_KINDS,
    Provider,
    ReferralStatus,
    ServiceType,
)


class ServiceTypeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ServiceTypeMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


def _service_type_field(required: bool = False, **kwargs: Any) -> ServiceTypeChoiceField:
    return ServiceTypeChoiceField(
        label=_("Service"),
        queryset=ServiceType.objects.filter(is_active=True),
        to_field_name="code",
        required=required,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a service from the list.")},
        **kwargs,
    )


class CatalogueFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name or agency"), max_length=100, required=False)
    service_type = _service_type_field()
    area = LocationChoiceField(areas=True, label=_("Area"), required=False)


def provider_areas() -> QuerySet[Location]:
    """A provider may cover a whole country, a region or a district."""
    return Location.objects.filter(
        level__in=[Level.COUNTRY, Level.REGION, Level.DISTRICT]
    ).order_by("path")


class ProviderForm(StyledFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(kind__in=sorted(PROVIDER_AGENCY_KINDS)).order_by("name"),
        to_field_name="code",
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    name_latin = forms.CharField(label=_("Name (Latin)"), max_length=300, required=False)
    service_types = ServiceTypeMultipleChoiceField(
        label=_("Services offered"),
        queryset=ServiceType.objects.filter(is_active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ModelChoiceField(
        label=_("Area covered"), queryset=provider_areas(), to_field_name="code"
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Children or families it can serve at a time; empty when not limited."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    under_state_social_order = forms.BooleanField(
        label=_("Works under state social order"), required=False
    )
    is_active = forms.BooleanField(label=_("Taking referrals"), required=False, initial=True)
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.label_from_instance = _location_label  # type: ignore[attr-defined]

    def action_data(self) -> tuple[dict[str, Any], list[ServiceType]]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        types = list(data.pop("service_types"))
        return data, types

    @classmethod
    def initial_for(cls, provider: Provider) -> dict[str, Any]:
        return {
            "agency": provider.agency.code,
            "name": provider.name,
            "name_latin": provider.name_latin,
            "service_types": [t.code for t in provider.service_types.all()],
            "area": provider.area.code,
            "capacity": provider.capacity,
            "address": provider.address,
            "phone": provider.phone,
            "email": provider.email,
            "description": provider.description,
            "under_state_social_order": provider.under_state_social_order,
            "is_active": provider.is_active,
            "version": provider.version,
        }


def _location_label(location: Location) -> str:
    indent: dict[str, str] = {Level.COUNTRY: "", Level.REGION: "— ", Level.DISTRICT: "— — "}
    return f"{indent.get(location.level, '')}{location}"


class ServiceTypeForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    version = VersionField()

    class Meta:
        model = ServiceType
        fields = [
            "code",
            "name_en",
            "name_ru",
            "name_be",
            "name_bg",
            "response_working_days",
            "is_active",
        ]

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ConsentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        recipient = obj.agency or obj.service_type
        return f"{recipient} — {obj.get_given_by_display()}, {obj.given_on:%d.%m.%Y}"


class ReferralForm(StyledFormMixin, forms.Form):
    """Choose a service, then a provider offering it where the child lives, then send."""

    service_type = _service_type_field(required=True)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.none(),
        to_field_name="uuid",
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a provider offering this service here.")},
    )
    consent = ConsentChoiceField(
        label=_("Consent to sharing"),
        queryset=Consent.objects.none(),
        to_field_name="uuid",
        required=False,
        empty_label=_("The matching consent on file"),
        help_text=_(
            "The receiving agency sees the child's record while the referral is open, "
            "under this consent."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for referral"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the family needs; the receiving agency reads this."),
    )

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Provider],
        consents: QuerySet[Consent],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        provider.queryset = providers  # type: ignore[attr-defined]
        provider.label_from_instance = _provider_label  # type: ignore[attr-defined]
        self.fields["consent"].queryset = consents  # type: ignore[attr-defined]


def _provider_label(provider: Provider) -> str:
    return f"{provider.name} · {provider.area}"


class ReferralFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *ReferralStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class VersionForm(forms.Form):
    version = VersionField()


class NoteForm(StyledFormMixin, forms.Form):
    """The text a move needs: a reason for declining or withdrawing, or the outcome."""

    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    version = VersionField()

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class ReportFilterForm(StyledFormMixin, forms.Form):
    since = forms.DateField(label=_("Sent from"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Sent until"), required=False, widget=DATE_WIDGET)
    agency = forms.CharField(label=_("Agency code"), max_length=32, required=False)
    service_type = _service_type_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Past referrals count for service types retired since.
        self.fields["service_type"].queryset = ServiceType.objects.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        return data
