from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from qbank.bank import BankQuestion
from qbank.diagnostics import Finding, Severity
from qbank.markdown import image_sources, is_local
from qbank.model.fields import SOURCE
from qbank.rules.base import QuestionRule
from qbank.rules.registry import register
from qbank.rules.shared import text_fields


@register
class MissingImage(QuestionRule):
    """An image path does not exist.

    Images are given by a path relative to the YAML file, such as
    ``![cell](images/lstm.png)`` or ``<img src="images/lstm.png" width="200">``;
    exports embed them. URLs are not checked. An ``<img>`` tag is read as the
    exports read it: inside an HTML comment, or with an attribute other than
    ``src alt title width height``, it is shown as text and is not an image.

    Bad::

        questions:
          - id: q1
            stem: "Which layer is drawn here? ![cell](images/no-such-file.png)"
            explanation: The drawing shows the three gates of an LSTM.
            options:
              - text: LSTM
                correct: true
              - text: Dense
                why: A Dense layer has no gates.

    Good::

        questions:
          - id: q1
            stem: "Which layer is drawn here? ![cell](https://example.org/lstm.png)"
            explanation: The drawing shows the three gates of an LSTM.
            options:
              - text: LSTM
                correct: true
              - text: Dense
                why: A Dense layer has no gates.
    """

    code = "QB111"
    name = "missing-image"
    group = "structure"
    severity = Severity.ERROR

    def check(self, item: BankQuestion) -> Iterator[Finding]:
        if not _may_show_images(item.question):
            return
        for path, text in text_fields(item.question):
            if path == SOURCE:
                continue  # where the question comes from: not Markdown, never shown as an image
            for src in image_sources(text):
                # Markdown percent-encodes spaces and non-ASCII letters: lstm%20cell.png.
                file_name = unquote(src)
                if is_local(src) and not item.file_exists(file_name):
                    yield Finding(
                        f"image {file_name!r} does not exist",
                        path,
                        hint=f"check the path; it is relative to the folder of this file ({item.base_dir})",
                        evidence={"src": src},
                    )


def _may_show_images(question) -> bool:
    """A cheap first look: an image needs a ``![`` or an ``<img`` (so a ``<``) in some text."""
    joined = "\n".join([text for _, text in text_fields(question)])
    return "![" in joined or "<" in joined
