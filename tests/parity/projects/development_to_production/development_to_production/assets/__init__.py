# From dagster-io/dagster examples/development_to_production/development_to_production/assets/__init__.py
from .hacker_news_assets import (
    items as items,
    stories as stories,
    comments as comments,
)
