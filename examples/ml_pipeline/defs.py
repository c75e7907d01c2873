"""ML pipeline: weekly features -> weekly models -> evaluation (a blocking check) -> scores.

A churn model retrained every week, as teams run one:

- ``features`` (weekly, 8 weeks from 2025-01-06): one row per customer active that week,
  generated from a random generator seeded by the week (no network, the same rows every
  time). Run config ``features: {revision: N}`` stands for a corrected re-delivery of a
  week's source data: it changes that week's rows.
- ``churn_model`` (weekly, 4 weeks from 2025-02-03): a scikit-learn pipeline trained on the
  4 weeks of features *before* its week (``TimeWindowPartitionMapping(start_offset=-4,
  end_offset=-1)``), so a changed feature week makes exactly the models that trained on it
  stale.
- ``model_evaluation``: the model of a week scored on that week's features, which it
  never saw: ROC AUC, accuracy, rows. The blocking check ``auc_above_threshold`` fails the
  step when the AUC is below ``ML_PIPELINE_MIN_AUC`` (default 0.7): the evaluation is not
  stored and the scores of that week are skipped.
- ``churn_scores``: the week's customers with their churn probability, built only after
  the evaluation passed (``deps=[model_evaluation]``).

Needs scikit-learn, the ``ml`` extra: ``make demo`` (or ``make install EXTRAS=ml``) in the checkout.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import accuracy_score, roc_auc_score  # type: ignore[import-untyped]
from sklearn.pipeline import Pipeline, make_pipeline  # type: ignore[import-untyped]
from sklearn.preprocessing import StandardScaler  # type: ignore[import-untyped]

from assetgraph import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetIn,
    Config,
    Definitions,
    TimeWindowPartitionMapping,
    WeeklyPartitionsDefinition,
    asset,
    asset_check,
)

MONDAY = 1
feature_weeks = WeeklyPartitionsDefinition(
    start_date="2025-01-06", end_date="2025-03-03", day_offset=MONDAY
)
model_weeks = WeeklyPartitionsDefinition(
    start_date="2025-02-03", end_date="2025-03-03", day_offset=MONDAY
)

FEATURES = ["tenure_months", "monthly_spend", "visits", "support_tickets"]
TRAINING_WEEKS = 4
DEFAULT_MIN_AUC = 0.7
SAME_WEEK = TimeWindowPartitionMapping()


class FeatureConfig(Config):
    """Which delivery of the week's source data to use (0: the first one)."""

    revision: int = 0


def generate_customers(week: str, revision: int = 0) -> pd.DataFrame:
    """The customers active in ``week`` with their features and whether they churned.

    Seeded by the week and the revision, so the same week always gives the same rows.
    Churn is more likely with short tenure, few visits and many support tickets.
    """
    rng = np.random.default_rng(int(week.replace("-", "")) * 100 + revision)
    n = 400
    tenure = rng.integers(1, 60, n)
    spend = rng.gamma(2.0, 25.0, n).round(2)
    visits = rng.poisson(6, n)
    tickets = rng.poisson(1.0, n)
    logit = 1.5 - 0.06 * tenure - 0.25 * visits + 0.8 * tickets - 0.004 * spend
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    ids = rng.choice(np.arange(10_000, 20_000), size=n, replace=False)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "tenure_months": tenure,
            "monthly_spend": spend,
            "visits": visits,
            "support_tickets": tickets,
            "churned": churned,
        }
    )


@asset(partitions_def=feature_weeks, group="features")
def features(context: AssetExecutionContext, config: FeatureConfig) -> pd.DataFrame:
    """One row per customer active in the week: features and the churn label."""
    frame = generate_customers(context.partition_key, config.revision)
    context.add_output_metadata({"rows": len(frame), "churn_rate": float(frame["churned"].mean())})
    return frame


@asset(
    partitions_def=model_weeks,
    group="training",
    ins={
        "training_features": AssetIn(
            key="features",
            partition_mapping=TimeWindowPartitionMapping(
                start_offset=-TRAINING_WEEKS, end_offset=-1
            ),
        )
    },
)
def churn_model(
    context: AssetExecutionContext, training_features: dict[str, pd.DataFrame]
) -> Pipeline:
    """A logistic regression trained on the 4 feature weeks before the model's week."""
    frame = pd.concat(training_features.values(), ignore_index=True)
    model = make_pipeline(StandardScaler(), LogisticRegression())
    model.fit(frame[FEATURES], frame["churned"])
    context.log.info("trained on weeks %s", ", ".join(sorted(training_features)))
    context.add_output_metadata({"training_rows": len(frame), "weeks": sorted(training_features)})
    return model


@asset(
    partitions_def=model_weeks,
    group="training",
    ins={"features": AssetIn(partition_mapping=SAME_WEEK)},
)
def model_evaluation(churn_model: Pipeline, features: pd.DataFrame) -> dict[str, Any]:
    """The week's model on the week's own customers, which it was not trained on."""
    probabilities = churn_model.predict_proba(features[FEATURES])[:, 1]
    return {
        "auc": round(float(roc_auc_score(features["churned"], probabilities)), 4),
        "accuracy": round(float(accuracy_score(features["churned"], probabilities > 0.5)), 4),
        "rows": len(features),
    }


@asset_check(asset=model_evaluation, blocking=True)
def auc_above_threshold(model_evaluation: dict[str, Any]) -> AssetCheckResult:
    """The model must reach the minimum ROC AUC (``ML_PIPELINE_MIN_AUC``, default 0.7)."""
    minimum = float(os.environ.get("ML_PIPELINE_MIN_AUC", DEFAULT_MIN_AUC))
    return AssetCheckResult(
        passed=model_evaluation["auc"] >= minimum,
        metadata={"auc": model_evaluation["auc"], "minimum": minimum},
    )


@asset(
    partitions_def=model_weeks,
    group="scoring",
    ins={"features": AssetIn(partition_mapping=SAME_WEEK)},
    deps=[model_evaluation],
)
def churn_scores(churn_model: Pipeline, features: pd.DataFrame) -> pd.DataFrame:
    """Every customer of the week with the churn probability the week's model gives."""
    probabilities = churn_model.predict_proba(features[FEATURES])[:, 1]
    return pd.DataFrame(
        {"customer_id": features["customer_id"], "churn_probability": probabilities.round(4)}
    ).sort_values("churn_probability", ascending=False, ignore_index=True)


defs = Definitions(
    assets=[features, churn_model, model_evaluation, churn_scores],
    asset_checks=[auc_above_threshold],
)
