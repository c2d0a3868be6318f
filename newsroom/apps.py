from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """Ingestion: the feeds the hub reads, their entries, rules and the review queue."""

    name = "newsroom"
    verbose_name = "Newsroom"
    default_auto_field = "django.db.models.BigAutoField"
