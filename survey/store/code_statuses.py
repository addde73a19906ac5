"""The statuses a code moves through, and the review passes."""

# Review status of a code. Auto statuses come from per-theme score bands; the others are
# human decisions and are never overwritten by re-coding.
AUTO_ACCEPTED, TO_REVIEW, AUTO_REJECTED = "auto_accepted", "to_review", "auto_rejected"
ACCEPTED, REJECTED, ADDED = "accepted", "rejected", "added"
REMOVED = "removed"  # a theme a person added and then withdrew (kept for the history)
HUMAN_STATUSES = (ACCEPTED, REJECTED, ADDED)
MACHINE_STATUSES = (AUTO_ACCEPTED, TO_REVIEW, AUTO_REJECTED)
PRESENT_STATUSES = (ACCEPTED, ADDED)
HUMAN_SOURCE = "human"

# Review passes: the primary review sets code statuses; the blind pass is a second opinion.
PRIMARY, BLIND = "primary", "blind"
# Answers that can be reviewed: the municipality has sent them (drafts still change).
REVIEWABLE_RESPONSES = ("submitted", "reopened")
