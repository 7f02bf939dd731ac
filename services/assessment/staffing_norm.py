"""Case workers' caseloads beside the staffing norm: one social worker for 7 clients in
care, one counsellor for 10. A case worker carrying more clients than the norm is over it
(exactly the norm is not). Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.vocabulary import Role

#: Clients in care (admitted or placed) one case worker of the role may carry.
CASELOAD_NORM: Mapping[str, int] = {Role.SOCIAL_WORKER: 7, Role.COUNSELOR: 10}


@dataclass(frozen=True)
class Caseload:
    case_worker_id: str
    role: str
    clients: int
    norm: int
    over_norm: bool


def caseloads(workers: Iterable[tuple[str, str]], clients_of: Mapping[str, int]) -> list[Caseload]:
    """Each case worker (``(id, role)``; roles without a norm are left out) with the clients
    in care they carry (``clients_of``: by case worker id; none when absent), the heaviest
    first."""
    rows = [
        Caseload(
            case_worker_id=worker,
            role=role,
            clients=clients_of.get(worker, 0),
            norm=CASELOAD_NORM[role],
            over_norm=clients_of.get(worker, 0) > CASELOAD_NORM[role],
        )
        for worker, role in workers
        if role in CASELOAD_NORM
    ]
    return sorted(rows, key=lambda row: (-row.clients, row.case_worker_id))
