"""Forms of the editor's admin: the post form with one category control per facet, and the
small forms of "add from link", bulk category actions and category merges."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html

from cxhub.safehttp import FetchError

from .covers import check_size, max_upload_bytes, prepare_cover
from .markup import render_body, sanitiser_report
from .models import BodyFormat, Category, Post
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
            "published_at",
        ]  # fmt: skip
        formfield_callback = url_fields_assume_https
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField post-title", "autofocus": True}),
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "body_source": forms.Textarea(attrs={"rows": 16, "class": "post-body"}),
            "body_format": forms.RadioSelect,
        }
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
