from django.contrib import admin

from .models import Article, Law


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ["title", "subtitle", "level", "status", "publish_date", "effective_date", "region_name"]
    list_filter = ["level", "status", "region_name"]
    search_fields = ["title", "source_id"]
    raw_id_fields = ["region"]
    readonly_fields = ["content_hash", "imported_at"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["law", "label", "seq", "section"]
    search_fields = ["law__title", "label", "text"]
    raw_id_fields = ["law"]
    readonly_fields = ["content_hash"]
