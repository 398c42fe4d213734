"""The session summary as plain data: what every summary document is made of.

``build_summary(live)`` reads one live session in a fixed number of queries
(whatever the number of questions or answers) and returns JSON-serialisable
data: strings, numbers, booleans, lists, dicts with string keys and ISO 8601
datetimes. Nothing in it is translated or formatted; the renderers do that in
the training's language. Charts are described by their numbers, not as SVG.

What a summary shows may be shared with participants, so it holds only what
moderation let through: visible questions, approved stories, approved free
answers and the texts of approved feedback (every rating counts: it is a number,
not text to moderate). Hidden, pending and rejected posts appear only
as counts (``participation`` and ``left_out``) and in the organisers' raw
export (``export.py``).

When the retention has deleted the raw rows, the summary it saved just before
(``LiveSession.summary_snapshot``) is returned instead: every renderer works
from this dict alone.
"""

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import func, select

from ..agenda.models import StepRun, parse_links
from ..agenda.services import runs_of, steps_of
from ..assessments.models import AssessmentAnswer, FeedbackAnswer
from ..cases.models import CaseStory
from ..extensions import db
from ..polls.models import Poll, PollAnswer
from ..questions.models import Question
from ..registration.models import Registration

SCHEMA = 1
SELF_ASSESSMENT = "self_assessment"
FEEDBACK = "feedback"
SCALE = (1, 2, 3, 4, 5)
# Self-assessment averages of fewer participants than this are not shown: an
# "average" of one or two people is their own answers.
MIN_GROUP = 3


def build_summary(live) -> dict:
    """The summary of one live session as plain data (see the module docstring)."""
    if live.raw_deleted_at is not None and live.summary_snapshot is not None:
        return live.summary_snapshot

    training = live.training
    steps = steps_of(live)
    runs = runs_of(live)
    questions = _rows(
        select(Question)
        .where(Question.session_id == live.id)
        .order_by(Question.vote_count.desc(), Question.created_at, Question.id)
    )
    stories = _rows(
        select(CaseStory)
        .where(CaseStory.session_id == live.id)
        .order_by(CaseStory.vote_count.desc(), CaseStory.created_at, CaseStory.id)
    )
    polls = _rows(select(Poll).where(Poll.session_id == live.id))
    poll_answers = db.session.execute(
        select(PollAnswer.poll_id, PollAnswer.value, PollAnswer.status)
        .join(Poll, Poll.id == PollAnswer.poll_id)
        .where(Poll.session_id == live.id)
        .order_by(PollAnswer.updated_at, PollAnswer.id)
    ).all()
    assessments = db.session.execute(
        select(AssessmentAnswer.step_id, AssessmentAnswer.voter_hash, AssessmentAnswer.ratings)
        .where(AssessmentAnswer.session_id == live.id)
        .order_by(AssessmentAnswer.created_at, AssessmentAnswer.id)
    ).all()
    feedback = _rows(
        select(FeedbackAnswer)
        .where(FeedbackAnswer.session_id == live.id)
        .order_by(FeedbackAnswer.created_at, FeedbackAnswer.id)
    )
    registrations = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.training_id == training.id)
            .group_by(Registration.status)
        ).all()
    )

    ordered, runs_by_step = _run_order(steps, runs)
    step_ids = {step.id for step in steps}
    titles = {step.id: step.title for step in steps}

    def by_step(items, shown) -> dict:
        grouped = defaultdict(list)
        for item in items:
            if shown(item):
                grouped[item.step_id if item.step_id in step_ids else None].append(item)
        return grouped

    shown_questions = by_step(questions, lambda q: q.status == "visible")
    shown_stories = by_step(stories, lambda s: s.status == "approved")
    answers_by_poll = defaultdict(list)
    for poll_id, value, status in poll_answers:
        answers_by_poll[poll_id].append((value, status))
    poll_by_step = {poll.step_id: poll for poll in polls}
    feedback_by_step = by_step(feedback, lambda f: True)
    assessment_by_step = defaultdict(list)
    for step_id, voter, ratings in assessments:
        assessment_by_step[step_id].append((voter, ratings))

    self_assessment, roles = _self_assessment(ordered, assessment_by_step)

    step_rows = []
    for step in ordered:
        row = {
            "id": step.id,
            "position": step.position,
            "kind": step.kind,
            "title": step.title,
            "planned_minutes": step.planned_minutes,
            **_timing(runs_by_step.get(step.id, [])),
            "questions": [_question(q) for q in shown_questions.get(step.id, [])],
            "stories": [_story(s) for s in shown_stories.get(step.id, [])],
            "poll": None,
            "assessment": None,
            "feedback": None,
            "links": [{"title": t, "url": u} for t, u in step.link_list],
        }
        poll = poll_by_step.get(step.id)
        if poll is not None:
            row["poll"] = _poll(poll, answers_by_poll.get(poll.id, []))
        if step.kind == SELF_ASSESSMENT or step.id in assessment_by_step:
            row["assessment"] = {
                "role": roles.get(step.id),
                "answers": len(assessment_by_step.get(step.id, [])),
            }
        if step.kind == FEEDBACK or step.id in feedback_by_step:
            row["feedback"] = _feedback(feedback_by_step.get(step.id, []))
        step_rows.append(row)

    visible = [q for q in questions if q.status == "visible"]
    return {
        "schema": SCHEMA,
        "training": {
            "id": training.id,
            "title": training.title,
            "language": training.language,
            "starts_at": _iso(training.starts_at),
            "ends_at": _iso(training.ends_at),
            "venue_name": training.venue_name,
            "venue_address": training.venue_address,
            "organisers": [partner.name for partner in training.partners],
        },
        "session": {
            "id": live.id,
            "code": live.code,
            "title": live.title,
            "opened_at": _iso(live.created_at),
            "closed_at": _iso(live.closed_at),
            "started_at": _iso(min((r.started_at for r in runs), default=None)),
            "ended_at": _iso(_last_end(runs)),
        },
        "steps": step_rows,
        "outside": {
            "questions": [_question(q) for q in shown_questions.get(None, [])],
            "stories": [_story(s) for s in shown_stories.get(None, [])],
        },
        "self_assessment": self_assessment,
        "participation": {
            "registered": registrations.get("confirmed", 0),
            "waitlisted": registrations.get("waitlisted", 0),
            "peak_participants": live.peak_participants,
            "posts": {
                "questions": len(questions),
                "stories": len(stories),
                "poll_answers": len(poll_answers),
                "assessment_answers": len(assessments),
                "feedback": len(feedback),
            },
        },
        "left_out": _left_out(questions, stories, poll_answers, feedback),
        "open_questions": [
            {**_question(q), "step": titles.get(q.step_id)} for q in visible if not _answered(q)
        ],
        "links": _links(ordered),
    }


def session_start(live) -> datetime:
    """When the session began: its first agenda step, or its opening."""
    first = db.session.scalar(
        select(func.min(StepRun.started_at)).where(StepRun.session_id == live.id)
    )
    return first or live.created_at


# --- pieces --------------------------------------------------------------------


def _rows(query) -> list:
    return list(db.session.scalars(query))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _last_end(runs) -> datetime | None:
    ends = [r.ended_at for r in runs if r.ended_at is not None]
    return max(ends) if ends else None


def _run_order(steps, runs) -> tuple[list, dict]:
    """Steps in the order they first ran, then those never run by agenda position."""
    runs_by_step = defaultdict(list)
    for run in runs:
        runs_by_step[run.step_id].append(run)
    ran = sorted(
        (s for s in steps if s.id in runs_by_step),
        key=lambda s: (runs_by_step[s.id][0].started_at, s.position),
    )
    never = [s for s in steps if s.id not in runs_by_step]
    return ran + never, runs_by_step


def _timing(runs) -> dict:
    """When a step ran: every visit, and the minutes of the finished ones."""
    finished = [r for r in runs if r.ended_at is not None]
    seconds = sum(int((r.ended_at - r.started_at).total_seconds()) for r in finished)
    return {
        "run": bool(runs),
        "running": any(r.ended_at is None for r in runs),
        "runs": [{"started_at": _iso(r.started_at), "ended_at": _iso(r.ended_at)} for r in runs],
        "actual_seconds": seconds if finished else None,
    }


def _answered(question) -> bool:
    return question.answered_at is not None or bool((question.followup_answer or "").strip())


def _question(question) -> dict:
    return {
        "id": question.id,
        "body": question.body,
        "votes": question.vote_count,
        "answered": _answered(question),
        "answer": (question.followup_answer or "").strip(),
    }


def _story(story) -> dict:
    return {
        "id": story.id,
        "situation": story.situation,
        "action": story.action,
        "discussion": story.discussion,
        "votes": story.vote_count,
    }


def _average(counts: list[int]) -> float | None:
    total = sum(counts)
    if not total:
        return None
    return round(sum(value * n for value, n in zip(SCALE, counts, strict=True)) / total, 2)


def _poll(poll, answers: list[tuple]) -> dict:
    """A poll's results from approved answers; ``answers`` counts them all."""
    values = [value for value, status in answers if status == "approved"]
    row = {
        "id": poll.id,
        "kind": poll.kind,
        "question": poll.question,
        "answers": len(answers),
    }
    if poll.kind in ("single", "multiple"):
        counts = Counter(i for picked in values if isinstance(picked, list) for i in picked)
        row["options"] = [
            {"label": option, "count": counts.get(i, 0)} for i, option in enumerate(poll.options)
        ]
    elif poll.kind == "scale":
        counts = Counter(values)
        row["scale"] = [counts.get(n, 0) for n in SCALE]
        row["average"] = _average(row["scale"])
        row["scale_low"] = poll.scale_low
        row["scale_high"] = poll.scale_high
    elif poll.kind == "words":
        counts = Counter(w for words in values if isinstance(words, list) for w in words)
        row["words"] = [[w, n] for w, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]
    else:
        row["texts"] = [value for value in values if isinstance(value, str)]
    return row


def _feedback(answers: list) -> dict:
    """Every answer's rating (a number: nothing to moderate), and the texts of
    approved feedback only (see the module docstring)."""
    approved = [a for a in answers if a.status == "approved"]
    ratings = Counter(a.rating for a in answers if a.rating in SCALE)
    distribution = [ratings.get(n, 0) for n in SCALE]
    return {
        "answers": len(answers),
        "distribution": distribution,
        "average": _average(distribution),
        "most_useful": [a.most_useful.strip() for a in approved if a.most_useful.strip()],
        "to_improve": [a.to_improve.strip() for a in approved if a.to_improve.strip()],
    }


def _ratings(raw) -> dict[str, int]:
    """A stored {statement: rating} with anything that is not a 1-5 rating dropped."""
    if not isinstance(raw, dict):
        return {}
    clean = {}
    for statement, rating in raw.items():
        if isinstance(rating, bool):
            continue
        try:
            value = int(rating)
        except (TypeError, ValueError):
            continue
        if value in SCALE and str(statement).strip():
            clean[str(statement).strip()] = value
    return clean


def _self_assessment(ordered_steps, answers_by_step) -> tuple[dict | None, dict]:
    """The change per statement between the first and the last self-assessment.

    Only self-assessment steps with answers count, in run order: the first is
    the start and the last the end. A participant's answers are paired by
    ``voter_hash`` and statements by their text; only those who answered a
    statement at both ends count in its change, and averages of fewer than
    MIN_GROUP participants are withheld. With one self-assessment, its
    averages are given without a change.
    """
    answered = [s for s in ordered_steps if answers_by_step.get(s.id)]
    answered = [s for s in answered if s.kind == SELF_ASSESSMENT] or answered
    if not answered:
        return None, {}
    start, end = answered[0], answered[-1] if len(answered) > 1 else None
    roles = {s.id: "middle" for s in answered}
    roles[start.id] = "start" if end else "only"
    start_answers = {voter: _ratings(r) for voter, r in answers_by_step[start.id]}
    statements = list(dict.fromkeys(s for ratings in start_answers.values() for s in ratings))
    result = {
        "start_step_id": start.id,
        "end_step_id": end.id if end else None,
        "start_answers": len(start_answers),
        "end_answers": 0,
        "paired": 0,
        "min_group": MIN_GROUP,
        "statements": [],
    }
    if end is None:
        for statement in statements:
            given = [r[statement] for r in start_answers.values() if statement in r]
            result["statements"].append(_statement_row(statement, given, None, len(given)))
        return result, roles

    roles[end.id] = "end"
    end_answers = {voter: _ratings(r) for voter, r in answers_by_step[end.id]}
    statements += [s for r in end_answers.values() for s in r if s not in statements]
    statements = list(dict.fromkeys(statements))
    result["end_answers"] = len(end_answers)
    result["paired"] = len(start_answers.keys() & end_answers.keys())
    for statement in statements:
        pairs = [
            (start_answers[v][statement], end_answers[v][statement])
            for v in start_answers.keys() & end_answers.keys()
            if statement in start_answers[v] and statement in end_answers[v]
        ]
        row = _statement_row(
            statement,
            [a for a, _ in pairs],
            [b for _, b in pairs],
            len(pairs),
        )
        row["start_count"] = sum(statement in r for r in start_answers.values())
        row["end_count"] = sum(statement in r for r in end_answers.values())
        result["statements"].append(row)
    return result, roles


def _statement_row(statement: str, start: list[int], end: list[int] | None, n: int) -> dict:
    shown = n >= MIN_GROUP

    def mean(values):
        return round(sum(values) / len(values), 2) if shown and values else None

    row = {
        "statement": statement,
        "n": n,
        "start_count": len(start),
        "end_count": len(end) if end is not None else 0,
        "start": mean(start),
        "end": mean(end) if end is not None else None,
        "change": None,
    }
    if end is not None and shown and n:
        row["change"] = round(sum(b - a for a, b in zip(start, end, strict=True)) / n, 2)
    return row


def _left_out(questions, stories, poll_answers, feedback) -> dict:
    """How many posts moderation keeps out of the documents (for the organisers' page)."""
    q = Counter(x.status for x in questions)
    s = Counter(x.status for x in stories)
    p = Counter(status for _, _, status in poll_answers)
    f = Counter(x.status for x in feedback)
    return {
        "questions_hidden": q["hidden"],
        "questions_pending": q["pending"],
        "stories_pending": s["pending"],
        "stories_rejected": s["rejected"],
        "poll_answers_pending": p["pending"],
        "poll_answers_rejected": p["rejected"],
        "feedback_pending": f["pending"],
        "feedback_rejected": f["rejected"],
    }


def _links(ordered_steps) -> list[dict]:
    """The toolkit links of all steps in document order, each URL once."""
    seen, links = set(), []
    for step in ordered_steps:
        for title, url in parse_links(step.links):
            if url not in seen:
                seen.add(url)
                links.append({"title": title, "url": url})
    return links
