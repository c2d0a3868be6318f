"""The 22 categories of the hub as it stood when this project started, grouped by facet."""

from django.db import migrations

CATEGORIES = [
    ("topic", "about customer centric culture", "customer-centric-culture"),
    ("topic", "about CX design", "cx-design"),
    ("topic", "about CX strategy", "cx-strategy"),
    ("topic", "about measuring CX success", "measuring-cx-success"),
    ("topic", "about organizational adoption", "organizational-adoption"),
    ("topic", "about understanding the customer", "understanding-the-customer"),
    ("format", "being an inspirational quote", "inspirational-quote"),
    ("format", "being conceptual cases", "conceptual-cases"),
    ("format", "being real life examples", "real-life-examples"),
    ("industry", "by automotive industry", "automotive-industry"),
    ("industry", "by comm's business", "comms-business"),
    ("industry", "by cultural activities", "cultural-activities"),
    ("industry", "by e-commerce industry", "e-commerce-industry"),
    ("industry", "by financial sector", "financial-sector"),
    ("industry", "by healthcare sector", "healthcare-sector"),
    ("industry", "by leisure industry", "leisure-industry"),
    ("industry", "by tech industry", "tech-industry"),
    ("focus", "focus on digital experience", "digital-experience"),
    ("focus", "focus on patient experience", "patient-experience"),
    ("series", "Stop-it mini series", "stop-it-mini-series"),
    ("other", "broader inspiration", "broader-inspiration"),
    ("other", "CX Community & Events", "cx-community-events"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("posts", "Category")
    for facet, name, slug in CATEGORIES:
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "facet": facet})


def remove_categories(apps, schema_editor):
    Category = apps.get_model("posts", "Category")
    Category.objects.filter(slug__in=[slug for _, _, slug in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(create_categories, remove_categories)]
