"""Admin for ingestion: sources (fetch now, health, OPML), the review queue, and rules with a
dry run that shows what a rule would do to the source's last entries before it is saved."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from posts import admin as posts_admin
from posts.admin_forms import FACET_FIELDS
from posts.models import Post
from posts.sanitize import html_to_text

from .admin_forms import FeedSourceForm, OpmlConfirmForm, OpmlUploadForm
from .models import CategoryRule, FeedEntry, FeedSource, FilterRule, NewsItem, WorkerHeartbeat
from .opml import MAX_OPML_BYTES, OpmlError, export_opml, import_opml
from .rules import dry_run, dry_run_rule

# --- sources ----------------------------------------------------------------------------------


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "Failing"), ("ok", "Working")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.unhealthy()
        if self.value() == "ok":
            return queryset.filter(consecutive_failures=0)
        return queryset


class BeingFetchedFilter(admin.SimpleListFilter):
    title = "being fetched"
    parameter_name = "fetching"

    def lookups(self, request, model_admin):
        return [("yes", "Being fetched"), ("no", "Not being fetched")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.being_fetched()
        if self.value() == "no":
            return queryset.exclude(pk__in=FeedSource.objects.being_fetched().values("pk"))
        return queryset


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "health",
        "fetch",
        "active",
        "publish_directly",
        "last_checked_at",
        "next_check_at",
        "items",
    ]
    list_filter = [HealthFilter, BeingFetchedFilter, "active", "publish_directly"]
    search_fields = ["name", "feed_url", "site_url"]
    # Failing sources first, so they cannot go unnoticed.
    ordering = ["-consecutive_failures", "name"]
    form = FeedSourceForm
    # Addresses typed without a scheme are taken as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["fetch_now", "dry_run_rules", "export_as_opml"]
    readonly_fields = [
        "health",
        "last_checked_at",
        "last_success_at",
        "last_status",
        "etag",
        "last_modified",
        "consecutive_failures",
        "next_check_at",
        "fetch",
        "last_error",
        "last_note",
    ]
    fieldsets = [
        (None, {"fields": ["name", "feed_url", "site_url", "active", "interval"]}),
        ("Entries", {"fields": ["publish_directly"]}),
        (
            "Categories",
            {
                "fields": FACET_FIELDS,
                "description": "Given to every entry of this source, as on the post form.",
            },
        ),
        ("State", {"fields": readonly_fields, "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["admin-extra/editor.css"]}
        js = ["admin-extra/editor.js"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.default_categories.set(form.selected_categories())

    def get_urls(self):
        upload = self.admin_site.admin_view(self.import_opml_view)
        return [
            path("import-opml/", upload, name="newsroom_feedsource_import_opml"),
            *super().get_urls(),
        ]

    def import_opml_view(self, request):
        """Upload an OPML file, see what it would add (a dry run), then confirm."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload, error = OpmlUploadForm(), ""
        if request.method == "POST" and "confirm" in request.POST:
            confirm = OpmlConfirmForm(request.POST)
            if not confirm.is_valid():
                error = "The file did not come back intact; upload it again."
            else:
                try:
                    report = import_opml(confirm.cleaned_data["content"])
                except OpmlError as exc:
                    error = str(exc)
                else:
                    self.message_user(request, f"OPML import: {report}")
                    return HttpResponseRedirect(reverse("admin:newsroom_feedsource_changelist"))
        elif request.method == "POST":
            upload = OpmlUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                content = upload.cleaned_data["file"]
                try:
                    report = import_opml(content, dry_run=True)
                except OpmlError as exc:
                    upload.add_error("file", str(exc))
                else:
                    name = request.FILES["file"].name
                    return self._opml_page(
                        request,
                        report=report,
                        filename=name,
                        confirm=OpmlConfirmForm.carrying(content, name),
                    )
        return self._opml_page(request, upload=upload, error=error)

    def _opml_page(self, request, **context):
        return TemplateResponse(
            request,
            "admin/newsroom/feedsource/import_opml.html",
            {
                **self.admin_site.each_context(request),
                "title": "Import sources from OPML",
                "opts": self.model._meta,
                "max_kb": MAX_OPML_BYTES // 1024,
                **context,
            },
        )

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(item_count=Count("entries__item", distinct=True))
        )

    @admin.display(description="items", ordering="item_count")
    def items(self, source):
        return source.item_count

    @admin.display(description="health", ordering="consecutive_failures")
    def health(self, source):
        if not source.active:
            return "inactive"
        if source.consecutive_failures:
            return format_html(
                '<strong style="color:#ba2121">failing, {} times</strong>: {}',
                source.consecutive_failures,
                source.last_error[:160],
            )
        if source.last_success_at is None:
            return "not fetched yet"
        return "ok"

    @admin.display(description="fetch")
    def fetch(self, source):
        """Where the source stands with the fetch worker."""
        if source.claimed_until and source.claimed_until > timezone.now():
            return f"being fetched by {source.claimed_by or 'a worker'}"
        if source.fetch_requested_at:
            return (
                f"waiting for the fetch worker (requested by {source.fetch_requested_by or '?'} "
                f"at {_when(source.fetch_requested_at)})"
            )
        if source.last_checked_at is None:
            return "not fetched yet"
        result = "failed" if source.consecutive_failures else "ok"
        return f"{result} at {_when(source.last_checked_at)}"

    @admin.action(description="Fetch now")
    def fetch_now(self, request, queryset):
        # The fetch worker fetches them: a request would not survive several slow feeds (a web
        # worker's timeout, 30 s in gunicorn, ends it), and the worker claims them first.
        inactive = list(queryset.filter(active=False).values_list("name", flat=True))
        requested = queryset.filter(active=True).request_fetch(by=request.user.get_username())
        if inactive:
            self.message_user(
                request,
                "Inactive sources are never fetched; make them active first: "
                + ", ".join(inactive),
                messages.WARNING,
            )
        if not requested:
            return
        worker = WorkerHeartbeat.objects.alive().order_by("-seen_at").first()
        if worker:
            self.message_user(
                request,
                f"{requested} source(s) are waiting for the fetch worker ({worker}), which "
                f"takes them at its next round, within {worker.interval.total_seconds():g} s. "
                "Reload this page to see how they fare (column “fetch”).",
            )
            return
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
        seen = f"since {_when(last.seen_at)}" if last else "yet"
        self.message_user(
            request,
            f"{requested} source(s) are waiting for the fetch worker, but none has been seen "
            f"{seen}. Start it on the server with `manage.py fetch_feeds --loop` (as a "
            "service); where `manage.py fetch_feeds` runs from cron instead, its next run "
            "fetches them.",
            messages.WARNING,
        )

    @admin.action(description="Dry run: what the rules do to the last entries")
    def dry_run_rules(self, request, queryset):
        rows = dry_run(queryset)
        return render_dry_run(request, self, rows, title="Rules and mapping on the last entries")

    @admin.action(description="Export as OPML")
    def export_as_opml(self, request, queryset):
        response = HttpResponse(
            export_opml(queryset.prefetch_related("default_categories")),
            content_type="text/x-opml; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="cx-hub-sources.opml"'
        return response


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- review queue -----------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits for a decision; "All" shows every state."""

    title = "status"
    parameter_name = "status"
    DEFAULT = "waiting"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (self.DEFAULT, "Waiting for review"),
            ("published", "Published"),
            ("rejected", "Rejected"),
        ]

    def value(self):
        return super().value() or self.DEFAULT

    def choices(self, changelist):
        # As SimpleListFilter.choices, with "All" as a choice of its own (no value = waiting).
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        yield {
            "selected": self.value() == self.ALL,
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": "All",
        }
        for n, (lookup, title) in enumerate(self.lookup_choices):
            if counts is not None:
                title = f"{title} ({counts.get(f'{n}__c', '-')})"
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return {
            "waiting": queryset.pending,
            "published": queryset.published,
            "rejected": queryset.rejected,
        }.get(self.value(), queryset.all)()


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [(str(s.pk), s.name) for s in FeedSource.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(entries__source_id=int(self.value())).distinct()
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=500, help_text="Kept with the items, e.g. “off topic” or “paywalled”."
    )


# How much of the teaser the queue shows: enough to judge, short enough to scan.
TEASER_CHARS = 220


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    """The review queue: one row per story, decided in one click or one key (j/k, a, r)."""

    # Four columns fit a 1366 px laptop beside the filters: the state of a decided item shows
    # where the buttons of a waiting one are.
    list_display = ["story", "carried_by", "proposed_categories", "decide"]
    list_display_links = None  # the title in "story" links to the item
    list_filter = [StatusFilter, SourceFilter]
    search_fields = ["title", "original_url"]
    date_hierarchy = "original_date"
    actions = ["publish_selected", "reject_selected"]
    list_per_page = 50
    fields = ["title", "state", "preview", "reject_reason", "rejected_at", "original_date"]
    readonly_fields = fields
    change_list_template = "admin/newsroom/newsitem/change_list.html"

    class Media:
        css = {"all": ["admin-extra/editor.css"]}
        js = ["admin-extra/review-queue.js"]

    def get_queryset(self, request):
        entries = FeedEntry.objects.select_related("source").order_by("pk")
        return (
            super()
            .get_queryset(request)
            .select_related("post", "source")
            .prefetch_related(Prefetch("entries", queryset=entries), "post__categories")
        )

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [path("decide/", decide, name="newsroom_newsitem_decide"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "Review queue",
            "module_name": "queue items",  # "Select all 50 queue items"
            "decide_url": reverse("admin:newsroom_newsitem_decide"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    @admin.display(description="status")
    def state(self, item):
        return {"waiting": "waiting for review"}.get(item.status, item.status)

    @admin.display(description="story", ordering="title")
    def story(self, item):
        """Title (to the item page), the teaser in plain text, the source's date, links."""
        change = reverse("admin:newsroom_newsitem_change", args=[item.pk])
        return format_html(
            '<a href="{}" class="queue-title">{}</a><span class="queue-teaser">{}</span>'
            '<span class="post-meta">{} {} · {}</span>',
            change,
            item.title,
            Truncator(self.teaser(item)).chars(TEASER_CHARS),
            "found on" if item.original_date_found else "first published",
            date_format(timezone.localtime(item.original_date), "DATE_FORMAT"),
            self.on_site(item),
        )

    @staticmethod
    def teaser(item) -> str:
        if item.post is not None and item.post.excerpt:
            return item.post.excerpt
        entries = item.entries.all()
        return html_to_text(entries[0].summary) if entries else ""

    @admin.display(description="source")
    def carried_by(self, item):
        names = dict.fromkeys(entry.source.name for entry in item.entries.all())
        return ", ".join(names) or item.source.name

    @admin.display(description="proposed categories")
    def proposed_categories(self, item):
        """Each category of the post with what proposed it (a feed category, a keyword rule,
        the source's defaults); one an editor added has no such record."""
        if item.post is None:
            return "—"
        categories = item.post.sorted_categories()
        if not categories:
            return "none"
        return format_html_join(
            "",
            '<span class="queue-category"><span class="chip chip-{}">{}</span>'
            '<span class="queue-why">{}</span></span>',
            (
                (c.facet, c.name, item.proposed_by.get(str(c.pk), "added by an editor"))
                for c in categories
            ),
        )

    @admin.display(description="decision")
    def decide(self, item):
        """Approve and reject buttons, submitted with the page's decision form (a form
        cannot sit inside the change list's own form); the state once decided."""
        if item.status != "waiting":
            return self.state(item)
        return format_html(
            '<span class="queue-decide">'
            '<button type="submit" form="queue-decision" name="approve" value="{}" '
            'class="button queue-approve" data-key="a" aria-keyshortcuts="a" '
            'aria-label="Approve “{}”">Approve</button>'
            '<button type="submit" form="queue-decision" name="reject" value="{}" '
            'class="button queue-reject" data-key="r" aria-keyshortcuts="r" '
            'aria-label="Reject “{}”">Reject</button>'
            "</span>",
            item.pk,
            item.title,
            item.pk,
            item.title,
        )

    def on_site(self, item):
        if item.post is None:
            return "—"
        links = [
            format_html('<a href="{}" target="_blank">preview</a>', item.post.get_absolute_url())
        ]
        try:
            edit = reverse("admin:posts_post_change", args=[item.post.pk])
            links.append(format_html('<a href="{}">edit post</a>', edit))
        except NoReverseMatch:
            pass
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description="what the sources carried")
    def preview(self, item):
        rows = format_html_join(
            "",
            '<div style="margin-bottom:1em"><p><strong>{}</strong> · {} · '
            '<a href="{}" target="_blank" rel="noopener noreferrer">original</a></p>{}</div>',
            (
                (
                    entry.source.name,
                    entry.published_at.date() if entry.published_at else "no date",
                    entry.link or "#",
                    # Sanitised with the hub's allowlist before it was stored.
                    mark_safe(entry.summary),
                )
                for entry in item.entries.all()
            ),
        )
        return format_html("{}{}", self.on_site(item), rows)

    def decide_view(self, request):
        """One item approved or rejected from its row: the same queryset methods as the bulk
        actions, then back to the same page of the queue with a message."""
        back = request.POST.get("next", "")
        changelist = reverse("admin:newsroom_newsitem_changelist")
        if not back.startswith(changelist) or not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = changelist
        if request.method != "POST":
            return HttpResponseRedirect(back)
        if not self.has_change_permission(request):
            raise PermissionDenied
        decision = "approve" if "approve" in request.POST else "reject"
        pk = request.POST.get(decision, "")
        item = NewsItem.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if item is None:
            self.message_user(request, "That item is no longer in the queue.", messages.WARNING)
        elif item.rejected_at is not None:
            self.message_user(request, f"“{item}” was already rejected.", messages.WARNING)
        elif decision == "approve":
            if NewsItem.objects.filter(pk=item.pk).publish_all():
                self.message_user(request, f"Approved “{item}”: it is published.")
            else:
                self.message_user(request, f"“{item}” has no post any more.", messages.WARNING)
        else:
            NewsItem.objects.filter(pk=item.pk).reject_all(reason="")
            self.message_user(
                request, f"Rejected “{item}”; its entries will not come back.", messages.SUCCESS
            )
        return HttpResponseRedirect(back)

    @admin.action(description="Publish selected items")
    def publish_selected(self, request, queryset):
        selected = queryset.count()
        published = queryset.publish_all()
        skipped = selected - published
        self.message_user(request, f"Published {published} item{'s' if published != 1 else ''}.")
        if skipped:
            self.message_user(
                request, f"{skipped} rejected item(s) were left alone.", messages.WARNING
            )

    @admin.action(description="Reject selected items (with a reason)…")
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            rejected = queryset.reject_all(reason=form.cleaned_data["reason"])
            self.message_user(
                request, f"Rejected {rejected} item(s); their entries will not come back."
            )
            return None
        return TemplateResponse(
            request,
            "admin/newsroom/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": "Reject queue items",
                "items": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


# --- rules with a dry run -----------------------------------------------------------------------


def render_dry_run(request, model_admin, rows, *, title, resubmit=None):
    return TemplateResponse(
        request,
        "admin/newsroom/dry_run.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "rows": rows,
            "changed": sum(row.changed for row in rows),
            "resubmit": resubmit,
            "opts": model_admin.model._meta,
        },
    )


class DryRunMixin:
    """A "Dry run" button on the change form: validate, then show the rule's effect on the
    last entries of its source (or of every source, for a global rule) without saving."""

    change_form_template = "admin/newsroom/rule_change_form.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_dryrun" in request.POST:
            obj = self.get_object(request, object_id) if object_id else None
            form_class = self.get_form(request, obj, change=obj is not None)
            form = form_class(request.POST, instance=obj)
            if form.is_valid():
                rule = form.save(commit=False)
                rows = dry_run_rule(rule)
                skip = ("_dryrun", "csrfmiddlewaretoken")
                fields = [(k, v) for k, vs in request.POST.lists() if k not in skip for v in vs]
                return render_dry_run(
                    request, self, rows, title=f"Dry run of “{rule}”", resubmit=fields
                )
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(CategoryRule)
class CategoryRuleAdmin(DryRunMixin, admin.ModelAdmin):
    list_display = ["phrase", "category", "source", "active"]
    list_filter = ["active", "source", "category"]
    search_fields = ["phrase"]
    autocomplete_fields = []


@admin.register(FilterRule)
class FilterRuleAdmin(DryRunMixin, admin.ModelAdmin):
    list_display = ["pattern", "action", "field", "source", "active"]
    list_filter = ["action", "field", "active", "source"]
    search_fields = ["pattern"]


class PostOriginFilter(admin.SimpleListFilter):
    """Where a post came from: a feed source that carried it, or the hub's own writing."""

    title = "source"
    parameter_name = "source"
    OWN = "hub"

    def lookups(self, request, model_admin):
        sources = [(str(s.pk), s.name) for s in FeedSource.objects.order_by("name")]
        return [(self.OWN, "Written on the hub"), *sources]

    def queryset(self, request, queryset):
        if self.value() == self.OWN:
            return queryset.filter(news_item__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(pk__in=FeedEntry.objects.carried_posts(int(self.value())))
        return queryset


# The posts app knows nothing of sources: the newsroom adds its filter to the post list.
admin.site.unregister(Post)


@admin.register(Post)
class PostAdmin(posts_admin.PostAdmin):
    list_filter = [*posts_admin.PostAdmin.list_filter, PostOriginFilter]
