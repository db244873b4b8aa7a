"""Build a tiny random BERT model folder on the fly, so tests need no downloaded model.

The folder is a real Hugging Face folder (config.json, tokenizer.json, model.safetensors),
written by transformers itself, so both transformers and the numpy runtime load it.
Needs torch and transformers (the training extra), like the tests that use it.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
MAX_POSITIONS = 128


def tiny_vocab(words: Iterable[str] = ()) -> dict[str, int]:
    """Special tokens, every single ASCII letter/digit/punctuation (and its ``##`` form), words.

    With the single characters any English text tokenizes without [UNK]; the whole words
    make the words a test cares about single tokens, as they would be in a real vocabulary.
    """
    chars = string.ascii_lowercase + string.digits + string.punctuation
    vocab: dict[str, int] = {}
    # Sorted: a set of words must give the same ids in every process (hash seeds differ).
    for token in (*SPECIAL_TOKENS, *chars, *(f"##{c}" for c in chars), *sorted(w.lower() for w in words)):
        if token and not any(ch.isspace() for ch in token):
            vocab.setdefault(token, len(vocab))
    return vocab


def make_tiny_bert(
    folder: Path,
    labels: list[str],
    words: Iterable[str] = (),
    seed: int = 0,
    with_head: bool = True,
    *,
    hidden_act: str = "gelu",
    init_std: float | None = None,
    hidden_size: int = 32,
    num_layers: int = 2,
    num_heads: int = 2,
) -> Path:
    """Write a tiny random BERT (by default hidden 32, 2 layers, 2 heads) to `folder` and return it.

    `with_head=False` writes a bare ``BertModel`` (still with id2label), like a pretrained
    base model a training run starts from. `init_std` replaces transformers' small default
    init (std 0.02, LayerNorm 1/0) by noise of that size on every parameter, LayerNorms and
    biases included, so an equivalence test exercises every weight with non-trivial values.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForTokenClassification, BertModel, PreTrainedTokenizerFast

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = tiny_vocab(words)

    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tokenizer.normalizer = normalizers.BertNormalizer(
        lowercase=True, clean_text=True, handle_chinese_chars=True
    )
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tokenizer.decoder = decoders.WordPiece()
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=MAX_POSITIONS,
    ).save_pretrained(str(folder))

    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=num_layers,
        num_attention_heads=num_heads,
        intermediate_size=hidden_size * 2,
        max_position_embeddings=MAX_POSITIONS,
        hidden_act=hidden_act,
        pad_token_id=vocab["[PAD]"],
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    torch.manual_seed(seed)
    model = BertForTokenClassification(config) if with_head else BertModel(config, add_pooling_layer=False)
    if init_std is not None:
        with torch.no_grad():
            for param in model.parameters():
                param.add_(torch.randn_like(param) * init_std)
    model.eval()
    model.save_pretrained(str(folder))
    return folder
