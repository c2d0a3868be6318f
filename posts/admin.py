"""The editor's workspace: posts, categories and sign-in protection in Django's admin."""

from __future__ import annotations

import copy
import re
import secrets
from datetime import datetime
from functools import partial
from urllib.parse import urlencode, urlsplit

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count, F
from django.forms import modelformset_factory
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.duration import duration_string
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cxhub.safehttp import FetchError

from . import views
from .admin_forms import (
    EVENT_TIMES,
    FACET_FIELDS,
    CategoryChoiceForm,
    LinkForm,
    MergeForm,
    PostAdminForm,
)
from .fetch_metadata import fetch_metadata
from .models import Category, Kind, LoginFailure, OldAddress, Post, number_series_parts
from .selection import Facet, PostFilter

LINK_PREFILL_KEY = "posts_link_prefill"


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def _log_changes(request: HttpRequest, objects: list, message: str) -> None:
    # One row per object in the admin log (the post's History), written in one query.
    if objects:
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=objects, action_flag=CHANGE, change_message=message
        )


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        # The same rules readers are subject to, from PostQuerySet.
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.published()
        return queryset


class EventTimeFilter(admin.SimpleListFilter):
    title = "event"
    parameter_name = "event"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Over")]

    def queryset(self, request, queryset):
        # The events page's rules (PostQuerySet); the change list orders them its own way.
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


class FacetFilter(admin.SimpleListFilter):
    facet: Facet

    def lookups(self, request, model_admin):
        return Category.objects.filter(facet=self.facet).values_list("slug", "name")

    def queryset(self, request, queryset):
        if self.value():
            return queryset.matching(PostFilter(included={self.facet.value: (self.value(),)}))
        return queryset


def facet_filter(facet: Facet) -> type[FacetFilter]:
    return type(
        f"{facet.name.title()}Filter",
        (FacetFilter,),
        {"facet": facet, "title": facet.label.lower(), "parameter_name": facet.value},
    )


class OldAddressInline(admin.TabularInline):
    model = OldAddress
    fields = ["path", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    verbose_name = "old address (redirects here)"
    verbose_name_plural = "Old addresses (redirect here)"


def kind_fieldset(title: str, kinds: list[Kind], fields: list[str]) -> tuple[str, dict]:
    # Each kind's fields in a fieldset marked with the kinds it belongs to; editor.js shows
    # the ones of the chosen kind. Without JavaScript every fieldset shows.
    classes = ["kind-fields", *(f"kind-{kind.value}" for kind in kinds)]
    return (title, {"fields": fields, "classes": classes})


KIND_FIELDSETS = [
    kind_fieldset(
        "Event",
        [Kind.EVENT],
        [
            "event_start", "event_end", "event_all_day", "event_timezone", "event_place",
            "event_online", "event_registration_url", "event_organiser", "event_price",
            "event_status",
        ],
    ),
    kind_fieldset(
        "Recording",
        [Kind.PODCAST, Kind.WEBINAR, Kind.VIDEO],
        ["media_url", "media_duration", "media_host", "audio_url", "audio_type", "audio_length"],
    ),
    kind_fieldset("Quote", [Kind.QUOTE], ["quote_text", "quote_author"]),
    kind_fieldset("Case study", [Kind.CASE_STUDY], ["case_organisation", "case_outcomes"]),
]  # fmt: skip
# The part number right below the series it numbers.
_series_at = FACET_FIELDS.index("categories_series") + 1
CATEGORY_FIELDS = [*FACET_FIELDS[:_series_at], "series_part", *FACET_FIELDS[_series_at:]]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Four columns fit a 1366 px laptop beside the filters: kind and dates go under the title,
    # categories are summarised (all of them in the tooltip and on the form).
    list_display = ["title_and_kind", "state", "category_summary", "published_on"]
    list_display_links = ["title_and_kind"]
    list_filter = [StateFilter, *(facet_filter(f) for f in Facet), "kind", EventTimeFilter]
    search_fields = ["title", "excerpt"]
    date_hierarchy = "published_at"
    # Drafts (no date yet) first, then newest first, on every database.
    ordering = [F("published_at").desc(nulls_first=True), "-pk"]
    list_per_page = 100
    save_on_top = True
    actions = ["publish_posts", "unpublish_posts", "add_category", "remove_category"]
    inlines = [OldAddressInline]

    class Media:
        css = {"all": ["admin-extra/editor.css"]}
        js = ["admin-extra/editor.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_categories()

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            ("Content", {"fields": ["title", "slug", "excerpt", "body_format", "body_source"]}),
            (
                "Link and kind",
                {"fields": ["link", "kind", "author_name", "cover", "cover_url"]},
            ),
            *KIND_FIELDSETS,
            (
                "Categories",
                {
                    "fields": CATEGORY_FIELDS,
                    "description": "Choose any number per facet; readers filter by these.",
                },
            ),
            ("Publishing", {"fields": ["status", "published_at"]}),
        ]
        if obj is not None:
            fieldsets.append(("History", {"fields": ["recent_changes"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["recent_changes"]
        if obj is not None and obj.slug_is_locked:
            readonly.append("slug")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.slug_is_locked:
            return {}
        return {"slug": ["title"]}

    # ----- change list -----

    @admin.display(description="State", ordering="status")
    def state(self, post: Post) -> str:
        if post.status == Post.Status.DRAFT:
            return mark_safe('<span class="state state-draft">Draft</span>')
        if post.is_scheduled:
            return format_html(
                '<span class="state state-scheduled">Scheduled for {}</span>',
                _local(post.published_at),
            )
        return mark_safe('<span class="state state-published">Published</span>')

    @admin.display(description="Title", ordering="title")
    def title_and_kind(self, post: Post) -> str:
        details = [post.get_kind_display()] if post.kind else []
        details.append(f"edited {_local(post.updated_at)}")
        return format_html('{}<span class="post-meta">{}</span>', post.title, " · ".join(details))

    @admin.display(description="Categories")
    def category_summary(self, post: Post) -> str:
        """The first two as chips, then "+N more"; every category in the tooltip."""
        categories = post.sorted_categories()
        if not categories:
            return "—"
        shown, rest = categories[:2], categories[2:]
        chips = format_html_join(
            "",
            '<span class="chip chip-{}">{}</span>',
            ((c.facet, c.name) for c in shown),
        )
        more = format_html(' <span class="chip-more">+{} more</span>', len(rest)) if rest else ""
        return format_html(
            '<span class="chips" title="{}">{}{}</span>',
            "; ".join(f"{c.get_facet_display()}: {c.name}" for c in categories),
            chips,
            more,
        )

    @admin.display(description="Date", ordering="published_at")
    def published_on(self, post: Post) -> str:
        if post.published_at is None:
            return "—"
        return date_format(timezone.localtime(post.published_at), "j M Y")

    # ----- change form -----

    @admin.display(description="Recent changes")
    def recent_changes(self, post: Post | None) -> str:
        if post is None or post.pk is None:
            return "—"
        entries = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Post), object_id=str(post.pk)
            )
            .select_related("user")
            .order_by("-action_time")[:5]
        )
        rows = format_html_join(
            "",
            "<li><time>{}</time> · {} · {}</li>",
            (
                (_local(e.action_time), e.user.get_username(), e.get_change_message() or "—")
                for e in entries
            ),
        )
        history = reverse("admin:posts_post_history", args=[post.pk])
        return format_html(
            '<ul class="recent-changes">{}</ul><a href="{}">Full history</a>',
            rows or mark_safe("<li>No changes recorded yet.</li>"),
            history,
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        token = request.GET.get("from_link")
        stored = request.session.get(LINK_PREFILL_KEY, {})
        if token and stored.get("token") == token:
            initial.update(stored["fields"])
            for name in EVENT_TIMES:
                if isinstance(initial.get(name), str):
                    initial[name] = datetime.fromisoformat(initial[name])
        initial.pop("from_link", None)
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.opts
        if obj is not None:
            context["preview_url"] = reverse("admin:posts_post_preview", args=[obj.pk])
        else:
            context["preview_url"] = reverse("admin:posts_post_preview_new")
        context["add_from_link_url"] = reverse("admin:posts_post_add_from_link")
        context["link_form"] = LinkForm(auto_id="link_%s")
        context["opts"] = opts
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not isinstance(form, PostAdminForm):  # the change list's part numbers
            return
        if form.sanitiser_report:
            messages.warning(
                request,
                "Removed from the body when saving (not allowed on the hub): "
                + "; ".join(form.sanitiser_report)
                + ". Everything else was kept.",
            )
        if obj.is_scheduled:
            messages.info(
                request, f"“{obj}” is scheduled: readers see it from {_local(obj.published_at)}."
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if isinstance(form, PostAdminForm):
            form.instance.categories.set(form.selected_categories())
        # A post in a series whose number was cleared becomes the series' last part.
        number_series_parts([form.instance])

    # ----- series order on the change list -----

    def _series_filtered(self, request) -> bool:
        # Filtered to one series (the Series facet filter): its parts in reading order, with
        # their numbers editable in place.
        return bool(request.GET.get(Facet.SERIES.value))

    def get_list_display(self, request):
        if self._series_filtered(request):
            return ["series_part", *self.list_display]
        return self.list_display

    def get_ordering(self, request):
        if self._series_filtered(request):
            return [F("series_part").asc(nulls_last=True), "published_at", "pk"]
        return super().get_ordering(request)

    def _list_editable(self, request) -> tuple[str, ...]:
        return ("series_part",) if self._series_filtered(request) else ()

    def get_changelist_instance(self, request):
        # As ModelAdmin's, with list_editable chosen per request (Django has no hook for it).
        list_display = self.get_list_display(request)
        list_display_links = self.get_list_display_links(request, list_display)
        if self.get_actions(request):
            list_display = ["action_checkbox", *list_display]
        return self.get_changelist(request)(
            request, self.model, list_display, list_display_links,
            self.get_list_filter(request), self.date_hierarchy, self.get_search_fields(request),
            self.get_list_select_related(request), self.list_per_page, self.list_max_show_all,
            self._list_editable(request), self, self.get_sortable_by(request),
            self.search_help_text,
        )  # fmt: skip

    def get_changelist_formset(self, request, **kwargs):
        return modelformset_factory(
            self.model,
            self.get_changelist_form(request),
            extra=0,
            fields=self._list_editable(request),
            formfield_callback=partial(self.formfield_for_dbfield, request=request),
            **kwargs,
        )

    # ----- extra pages -----

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "add-from-link/",
                wrap(self.add_from_link_view),
                name="posts_post_add_from_link",
            ),
            path("preview/", wrap(self.preview_view), name="posts_post_preview_new"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name="posts_post_preview"),
            *super().get_urls(),
        ]

    def add_from_link_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = LinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self._prefill_from_link(request, form.cleaned_data["url"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Add a post from a link",
            "form": form,
        }
        return TemplateResponse(request, "admin/posts/post/add_from_link.html", context)

    def _prefill_from_link(self, request: HttpRequest, url: str) -> HttpResponse:
        fields = {"link": url}
        try:
            page = fetch_metadata(url)
        except FetchError as error:
            messages.error(
                request, f"The page could not be read: {error} Fill in the fields yourself."
            )
        else:
            fields = {
                "link": page.url,
                "title": page.title,
                "excerpt": page.excerpt,
                "kind": page.kind,
                "cover_url": page.image_url,
                "author_name": page.author_name,
                # Kept in the session as JSON: times as ISO text, read back as the form's
                # initial values (get_changeform_initial_data).
                **{
                    name: getattr(page, name).isoformat()
                    for name in EVENT_TIMES
                    if getattr(page, name) is not None
                },
                "event_all_day": page.event_all_day,
                "event_place": page.event_place,
                "event_online": page.event_online,
                "event_status": page.event_status,
                "event_organiser": page.event_organiser,
                "media_duration": page.media_duration and duration_string(page.media_duration),
            }
            fields = {key: value for key, value in fields.items() if value}
            host = urlsplit(page.url).hostname
            if page.is_empty:
                messages.warning(
                    request,
                    f"{host} gives no title, description or image to fill in with. "
                    "Fill in the fields yourself.",
                )
            else:
                messages.success(
                    request,
                    f"Filled in from {host}. Check the title, excerpt, image and kind, choose "
                    "categories, then save.",
                )
        duplicate = Post.objects.filter(link__in={url, fields["link"]}).first()
        if duplicate is not None:
            messages.warning(
                request,
                format_html(
                    'The hub already has a post with this link: <a href="{}">{}</a>.',
                    reverse("admin:posts_post_change", args=[duplicate.pk]),
                    duplicate.title,
                ),
            )
        token = secrets.token_urlsafe(8)
        request.session[LINK_PREFILL_KEY] = {"token": token, "fields": fields}
        add_url = reverse("admin:posts_post_add")
        return HttpResponseRedirect(f"{add_url}?{urlencode({'from_link': token})}")

    def preview_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """The post as readers will see it, through the reader's own view and template.

        GET shows the stored post; POST (the change form's Preview button) shows the form's
        unsaved content: it is saved inside a transaction that is always rolled back.
        """
        post = None
        if object_id is not None:
            post = self.get_object(request, unquote(object_id))
            if post is None:
                raise Http404("There is no such post; it may have been deleted.")
            if not self.has_view_or_change_permission(request, post):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            if post is None:
                return HttpResponseRedirect(reverse("admin:posts_post_add"))
            return self._reader_view(request, post, unsaved=False)
        if post is not None and not self.has_change_permission(request, post):
            raise PermissionDenied

        form_class = self.get_form(request, post, change=post is not None)
        form = form_class(request.POST, request.FILES, instance=post)
        form.fetch_cover = False
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "The preview needs a few fixes",
                "form": form,
            }
            return TemplateResponse(request, "admin/posts/post/preview_errors.html", context)
        stored_cover = Post.objects.get(pk=post.pk).cover if post is not None else ""
        with transaction.atomic():
            draft = form.save(commit=False)
            draft.cover = stored_cover  # a preview never writes files to storage
            draft.save()
            draft.categories.set(form.selected_categories())
            response = self._reader_view(request, draft, unsaved=True)
            transaction.set_rollback(True)
        return response

    def _reader_view(self, request: HttpRequest, post: Post, *, unsaved: bool) -> HttpResponse:
        reader_request = copy.copy(request)
        reader_request.method = "GET"
        response = views.post_detail(reader_request, slug=post.slug)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        banner = render_to_string(
            "admin/posts/post/_preview_banner.html",
            {
                "post": post,
                "unsaved": unsaved,
                "visible": post.is_visible,
                "scheduled_for": _local(post.published_at) if post.is_scheduled else "",
                "change_url": reverse("admin:posts_post_change", args=[post.pk])
                if not unsaved or post.pk
                else "",
            },
            request=request,
        )
        html = response.content.decode(response.charset)
        html, found = re.subn(r"<body[^>]*>", lambda m: m.group(0) + banner, html, count=1)
        if not found:
            html = banner + html
        response.content = html.encode(response.charset)
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
        return response

    # ----- bulk actions -----

    @admin.action(description="Publish selected posts (a future date stays scheduled)")
    def publish_posts(self, request, queryset):
        posts = queryset.publish()
        _log_changes(request, posts, "Published.")
        scheduled = sum(post.is_scheduled for post in posts)
        published = len(posts) - scheduled
        message = f"{published} post{'s' if published != 1 else ''} published"
        if scheduled:
            message += f", {scheduled} scheduled for their future date"
        self.message_user(request, message + ".", messages.SUCCESS)

    @admin.action(description="Unpublish selected posts (back to draft)")
    def unpublish_posts(self, request, queryset):
        posts = queryset.unpublish()
        _log_changes(request, posts, "Unpublished.")
        count = len(posts)
        self.message_user(
            request,
            f"{count} post{'s' if count != 1 else ''} back to draft; readers no longer see them.",
            messages.SUCCESS,
        )

    @admin.action(description="Add a category to selected posts")
    def add_category(self, request, queryset):
        return self._category_action(request, queryset, adding=True)

    @admin.action(description="Remove a category from selected posts")
    def remove_category(self, request, queryset):
        return self._category_action(request, queryset, adding=False)

    def _category_action(self, request, queryset, *, adding: bool):
        form = CategoryChoiceForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            category = form.cleaned_data["category"]
            selected = queryset.count()
            if adding:
                changed = queryset.add_category(category)
                verb = f"Added category “{category}”."
            else:
                changed = queryset.remove_category(category)
                verb = f"Removed category “{category}”."
            _log_changes(request, changed, verb)
            n, unchanged = len(changed), selected - len(changed)
            message = f"{verb[:-1]} {'to' if adding else 'from'} {n} post{'s' if n != 1 else ''}"
            if unchanged:
                message += f"; {unchanged} already {'had' if adding else 'lacked'} it"
            self.message_user(request, message + ".", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{'Add a category to' if adding else 'Remove a category from'} "
            f"{queryset.count()} post{'s' if queryset.count() != 1 else ''}",
            "form": form,
            "posts": queryset,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "adding": adding,
        }
        return TemplateResponse(request, "admin/posts/post/category_action.html", context)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "facet", "slug", "post_count", "old_addresses"]
    prepopulated_fields = {"slug": ["name"]}
    list_filter = ["facet"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "facet", "description", "old_addresses"]
    readonly_fields = ["old_addresses"]
    ordering = ["facet", "name"]
    actions = ["merge_categories"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(post_count=Count("tagged_posts"))
            .prefetch_related("redirects")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "slug" in form.base_fields:
            form.base_fields[
                "slug"
            ].help_text = (
                "Changing it keeps the old address working: its page and feed redirect here."
            )
        return form

    @admin.display(description="posts", ordering="post_count")
    def post_count(self, category: Category) -> int:
        return category.post_count

    @admin.display(description="Old addresses (redirect here)")
    def old_addresses(self, category: Category) -> str:
        if category.pk is None:
            return "—"
        slugs = sorted(r.old_slug for r in category.redirects.all())
        return ", ".join(slugs) or "—"

    def save_model(self, request, obj, form, change):
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug and old_slug != obj.slug:
            messages.info(
                request,
                f"The old address /category/{old_slug}/ and its feed now redirect to "
                f"{obj.get_absolute_url()}.",
            )

    @admin.action(
        description="Merge selected categories into another", permissions=["change", "delete"]
    )
    def merge_categories(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            merging = list(queryset.exclude(pk=target.pk))
            if not merging:
                self.message_user(
                    request,
                    "Select at least one category other than the one to keep.",
                    messages.ERROR,
                )
                return None
            with transaction.atomic():
                self.log_deletions(request, merging)
                summary = [
                    f"“{name}” ({moved} post{'s' if moved != 1 else ''} moved)"
                    for name, moved in queryset.merge_into(target).items()
                ]
                self.log_change(request, target, "Merged in " + ", ".join(summary) + ".")
            self.message_user(
                request,
                f"Merged {', '.join(summary)} into “{target}”. Their old addresses redirect to it.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge categories",
            "form": form,
            "categories": queryset,
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/posts/category/merge.html", context)


@admin.register(OldAddress)
class OldAddressAdmin(admin.ModelAdmin):
    """Old addresses of posts, e.g. the earlier site's: each answers with a redirect to its
    post. Also listed on each post's change form."""

    list_display = ["path", "post_link", "created_at"]
    list_select_related = ["post"]
    search_fields = ["path", "post__title", "post__slug"]
    autocomplete_fields = ["post"]
    fields = ["path", "post", "created_at"]
    readonly_fields = ["created_at"]

    @admin.display(description="redirects to", ordering="post__title")
    def post_link(self, address: OldAddress) -> str:
        return format_html(
            '<a href="{}">{}</a> <small>{}</small>',
            reverse("admin:posts_post_change", args=[address.post_id]),
            address.post.title,
            address.post.get_absolute_url(),
        )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed sign-ins; deleting an account's rows lifts its pause at once."""

    list_display = ["username", "ip_address", "created_at"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
