"""What an indexing run reports: the files it could not index and its counts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """A file (or record) that could not be indexed, or a warning about it, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Summary:
    """What a run did, counted in statements; problems name files and reasons."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    documents: int = 0
    commits: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> int:
        return len(self.problems)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "documents": self.documents,
            "commits": self.commits,
            "seconds": round(self.seconds, 3),
            "problems": [{"path": p.path, "reason": p.reason} for p in self.problems],
            "warnings": [{"path": p.path, "reason": p.reason} for p in self.warnings],
            "skipped": [{"path": p.path, "reason": p.reason} for p in self.skipped],
        }
