"""Forms of the editor's admin: the post form with one category control per facet, and the
small forms of "add from link", bulk category actions and category merges."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from cxhub.safehttp import FetchError

from .covers import check_size, max_upload_bytes, prepare_cover
from .markup import render_body, sanitiser_report
from .models import BodyFormat, Category, Post, valid_time_zone
from .safe_fetch import fetch
from .selection import Facet, group_by_facet


class FacetCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for one facet, with a filter box once the list is long enough to need one."""

    FILTER_FROM = 6

    def render(self, name, value, attrs=None, renderer=None):
        boxes = super().render(name, value, attrs, renderer)
        if len(self.choices) < self.FILTER_FROM:
            return format_html('<div class="facet-choices">{}</div>', boxes)
        return format_html(
            '<div class="facet-choices" data-facet-filter>'
            '<input type="search" class="facet-filter" placeholder="Filter…" '
            'aria-label="Filter these categories">{}</div>',
            boxes,
        )


class FacetField(forms.ModelMultipleChoiceField):
    def __init__(self, facet: Facet, **kwargs):
        self.facet = facet
        super().__init__(
            queryset=Category.objects.filter(facet=facet).order_by("name"),
            required=False,
            widget=FacetCheckboxes,
            label=f"{facet.label} categories" if facet != Facet.OTHER else "More categories",
            **kwargs,
        )


class EventTimeField(forms.SplitDateTimeField):
    """A date and time as the event's own clock shows it: naive here, given its zone by
    `PostAdminForm.clean` once the chosen time zone is known (not the editor's zone, nor the
    site's)."""

    widget = AdminSplitDateTime

    def compress(self, data_list):
        if data_list:
            if data_list[0] in self.empty_values:
                raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
            if data_list[1] in self.empty_values:
                raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
            return datetime.combine(*data_list)
        return None


EVENT_TIMES = ("event_start", "event_end")


def url_fields_assume_https(db_field: models.Field, **kwargs) -> forms.Field | None:
    # Django 6 makes https the default scheme for typed-in addresses; opt in now (and keep
    # the deprecation warning, an error in our tests, away).
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


def facet_field_name(facet: str) -> str:
    return f"categories_{facet}"


FACET_FIELDS = [facet_field_name(facet) for facet in Facet]


class FacetCategoryFields(forms.Form):
    """One category control per facet, for any admin form with categories (posts here; feed
    sources in the newsroom): put it before the ModelForm among the bases, list FACET_FIELDS
    in the fieldsets, and save `selected_categories()` in the admin's `save_related`."""

    # (Declared one by one: the admin builds its form from declared field names.)
    categories_topic = FacetField(Facet.TOPIC)
    categories_format = FacetField(Facet.FORMAT)
    categories_industry = FacetField(Facet.INDUSTRY)
    categories_focus = FacetField(Facet.FOCUS)
    categories_series = FacetField(Facet.SERIES)
    categories_other = FacetField(Facet.OTHER)

    def choose_categories(self, categories) -> None:
        """Tick `categories` (an unbound form's initial values), each in its facet's control."""
        chosen: dict[str, list[int]] = {}
        for category in categories:
            chosen.setdefault(facet_field_name(category.facet), []).append(category.pk)
        for name in FACET_FIELDS:
            self.initial.setdefault(name, chosen.get(name, []))

    def selected_categories(self) -> list[Category]:
        return [c for name in FACET_FIELDS for c in self.cleaned_data.get(name, [])]


class PostAdminForm(FacetCategoryFields, forms.ModelForm):
    # One control per facet (FacetCategoryFields) replaces the single "categories" tag box.

    event_start = EventTimeField(
        label="Starts", required=False, help_text="As the event's clock shows it: in its time zone."
    )
    event_end = EventTimeField(label="Ends", required=False)

    cover_url = forms.URLField(
        label="Cover image address",
        required=False,
        assume_scheme="https",
        help_text="Instead of uploading: the address of an image, fetched when you save.",
    )

    class Meta:
        model = Post
        # Not "categories" (one field per facet instead) nor "body" (rendered from body_source).
        fields = [
            "title", "slug", "excerpt", "body_format", "body_source", "link", "kind",
            "author_name", "cover", "audio_url", "audio_type", "audio_length", "status",
            "published_at", "event_start", "event_end", "event_all_day", "event_timezone",
            "event_place", "event_online", "event_registration_url", "event_organiser",
            "event_price", "event_status", "media_url", "media_duration", "media_host",
            "quote_text", "quote_author", "case_organisation", "case_outcomes", "series_part",
        ]  # fmt: skip
        formfield_callback = url_fields_assume_https
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField post-title", "autofocus": True}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "body_source": forms.Textarea(attrs={"rows": 16, "class": "post-body"}),
            "body_format": forms.RadioSelect,
            "quote_text": forms.Textarea(attrs={"rows": 4}),
            "case_outcomes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"event_status": "Event status"}
        help_texts = {
            "body_source": (
                "Markdown (## heading, **bold**, *italic*, [text](https://…), - list) or basic "
                "HTML. Scripts, styles, forms, embeds and event attributes are removed when "
                "saving; you will be told what was removed."
            ),
            "published_at": (
                "With status Published, a date in the future schedules the post: readers see it "
                "from that moment on. Empty means now."
            ),
            "slug": "The post's address. Filled in from the title; fixed once published.",
            "event_all_day": "Only the days count: the start's day to the end's day.",
            "series_part": (
                "Its place in the series chosen above. Left empty, it becomes the last part; "
                "the other parts keep their numbers."
            ),
        }

    fetch_cover = True  # the preview turns this off: no network calls to look at a draft

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        post = self.instance
        if post.pk:
            self.choose_categories(post.categories.all())
            # Posts that came in as HTML (feeds, imports) are edited as that HTML.
            if not post.body_source and post.body:
                self.initial["body_source"] = post.body
                self.initial["body_format"] = BodyFormat.HTML
            # Stored in UTC, shown as the event's own clock reads them.
            zone = post.event_zone
            for name in EVENT_TIMES:
                moment = getattr(post, name)
                if moment is not None:
                    self.initial[name] = moment.astimezone(zone).replace(tzinfo=None)
        if "event_timezone" in self.fields:
            self.fields["event_timezone"].widget.attrs["placeholder"] = settings.TIME_ZONE
            self.fields["event_timezone"].help_text = (
                "The event's own zone, e.g. Europe/Berlin or America/New_York: the start and "
                f"end are entered and shown in it. Empty means {settings.TIME_ZONE}."
            )
        if "cover" in self.fields:
            self.fields["cover"].help_text = (
                f"JPEG, PNG or WebP, at most {max_upload_bytes() // (1024 * 1024)} MB; "
                "scaled down for cards when saved."
            )
        self.sanitiser_report: list[str] = []

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            check_size(cover.size)
            cover.seek(0)
            return prepare_cover(cover.read(), cover.name)
        return cover

    def clean(self):
        cleaned = super().clean()
        self._zone_event_times(cleaned)
        source = cleaned.get("body_source", "")
        if source:
            self.sanitiser_report = sanitiser_report(
                render_body(source, cleaned.get("body_format", BodyFormat.MARKDOWN))
            )
        cover_url = cleaned.get("cover_url")
        new_upload = hasattr(cleaned.get("cover"), "content_type")
        if cover_url and not new_upload and self.fetch_cover and "cover" not in self.errors:
            try:
                image = fetch(
                    cover_url, accept=("image/",), what="an image", max_bytes=max_upload_bytes()
                )
                cleaned["cover"] = prepare_cover(image.body, image.url.rsplit("/", 1)[-1])
            except FetchError as error:
                self.add_error("cover_url", f"{error} Upload the image instead, or clear this.")
            except ValidationError as error:
                self.add_error("cover_url", error)
        return cleaned

    def _zone_event_times(self, cleaned: dict) -> None:
        # The editor typed the times the event's own clock shows. An unknown zone is an error
        # on its own field (the model's validator), so the form is not saved either way.
        name = cleaned.get("event_timezone", "") or settings.TIME_ZONE
        try:
            valid_time_zone(name)
        except ValidationError:
            name = settings.TIME_ZONE
        zone = zoneinfo.ZoneInfo(name)
        for field in EVENT_TIMES:
            value = cleaned.get(field)
            if value is not None and timezone.is_naive(value):
                cleaned[field] = value.replace(tzinfo=zone)


class LinkForm(forms.Form):
    url = forms.URLField(
        label="Link to the article, podcast, webinar or video",
        max_length=1000,
        assume_scheme="https",
        widget=forms.URLInput(
            attrs={"class": "vURLField", "placeholder": "https://…", "autofocus": True}
        ),
    )


class CategoryChoiceForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), empty_label="Choose a category…"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        categories = Category.objects.all().in_navigation_order()
        field.choices = [("", field.empty_label)] + [
            (facet.label, [(c.pk, c.name) for c in members])
            for facet, members in group_by_facet(categories)
        ]


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Category.objects.all(),
        label="Merge into",
        empty_label="Choose the category to keep…",
    )
