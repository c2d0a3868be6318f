"""Forms of the ingestion admin: the feed source form (named polling intervals, the post form's
per-facet category picker) and the OPML upload with its confirm step."""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta

from django import forms

from posts.admin_forms import FacetCategoryFields, url_fields_assume_https

from .models import FeedSource
from .opml import MAX_OPML_BYTES

# The intervals an editor chooses from, shortest first.
INTERVALS = [
    (timedelta(minutes=15), "every 15 minutes"),
    (timedelta(minutes=30), "every 30 minutes"),
    (timedelta(hours=1), "hourly"),
    (timedelta(hours=6), "every 6 hours"),
    (timedelta(days=1), "daily"),
    (timedelta(weeks=1), "weekly"),
]


def describe_interval(interval: timedelta) -> str:
    """ "every 2 hours 30 minutes", "every 90 seconds": any duration, in words."""
    seconds = int(interval.total_seconds())
    if seconds <= 0:
        return "never (no interval)"
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return "every " + " ".join(parts)


def interval_seconds(value: str) -> timedelta:
    return timedelta(seconds=int(value))


class IntervalField(forms.TypedChoiceField):
    """The named intervals; a source polled at another interval keeps it as one more choice."""

    def __init__(self, **kwargs):
        super().__init__(coerce=interval_seconds, choices=self.choices_with(None), **kwargs)

    @staticmethod
    def choices_with(current: timedelta | None) -> list[tuple[str, str]]:
        choices = [(str(int(d.total_seconds())), label) for d, label in INTERVALS]
        if current is not None and current not in dict(INTERVALS):
            choices.append(
                (str(int(current.total_seconds())), f"{describe_interval(current)} (as set now)")
            )
            choices.sort(key=lambda choice: int(choice[0]))
        return choices

    def prepare_value(self, value):
        if isinstance(value, timedelta):
            return str(int(value.total_seconds()))
        return value


class FeedSourceForm(FacetCategoryFields, forms.ModelForm):
    interval = IntervalField(
        label="Polling interval",
        initial=str(int(timedelta(hours=1).total_seconds())),
        help_text="How often the hub reads the feed; failures wait longer, up to a cap.",
    )

    class Meta:
        model = FeedSource
        # Not "default_categories": one control per facet instead (saved by the admin).
        fields = ["name", "feed_url", "site_url", "active", "interval", "publish_directly"]
        formfield_callback = url_fields_assume_https

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.instance
        if source.pk:
            self.choose_categories(source.default_categories.all())
            self.fields["interval"].choices = IntervalField.choices_with(source.interval)


class OpmlUploadForm(forms.Form):
    file = forms.FileField(
        label="OPML file",
        help_text=f"The subscription list a feed reader exports (.opml or .xml), at most "
        f"{MAX_OPML_BYTES // 1024} KB. Nothing is added until you confirm the dry run.",
        widget=forms.ClearableFileInput(attrs={"accept": ".opml,.xml,text/x-opml,text/xml"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_OPML_BYTES:
            raise forms.ValidationError(
                f"This file has {upload.size // 1024} KB; an OPML file may have at most "
                f"{MAX_OPML_BYTES // 1024} KB."
            )
        return upload.read(MAX_OPML_BYTES + 1)


class OpmlConfirmForm(forms.Form):
    """The dry run's file, carried to the confirm step and read again from the start."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)

    @classmethod
    def carrying(cls, content: bytes, filename: str) -> OpmlConfirmForm:
        encoded = base64.b64encode(content).decode("ascii")
        return cls(initial={"content": encoded, "filename": filename[:255]})

    def clean_content(self) -> bytes:
        text = self.cleaned_data["content"]
        if len(text) > (MAX_OPML_BYTES * 4) // 3 + 4:
            raise forms.ValidationError("The file is too large.")
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(
                "The file did not come back intact; upload it again."
            ) from None
