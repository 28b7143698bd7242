"""The batch assignment: sibling groups (units) to carer households, maximising the total score
under every household's vacancies, each unit whole in one household or not at all.

It is an integer programme over binary x[u, h]:

    maximise   Σ value[u, h] · x[u, h]
    subject to Σ_h x[u, h] ≤ 1                     (a unit goes to one household at most)
               Σ_u size[u] · x[u, h] ≤ vacancy[h]  (a household takes no more than its room)

With units of one child only this is an assignment problem; groups that take several places
make it a knapsack-like problem, so a plain assignment solver is not enough.

- Up to ``exact_edges`` feasible (unit, household) pairs, HiGHS (``scipy.optimize.milp``)
  solves it exactly over every pair.
- Beyond that (a region with thousands of children) an exact integer programme over millions
  of pairs takes too long, and pruning each unit to its top-N households loses good
  solutions (neighbours' top lists overlap). Instead the pairs are chosen by column
  generation: the linear relaxation is solved over *all* feasible pairs, adding those with
  a positive reduced cost until the pairs left out could add less than 0.1 %. That yields an
  upper bound no assignment can beat (kept with the proposal, so that everyone sees how close
  to the best it is) and the pairs that matter. The LP's whole assignments are kept, the
  contested remainder is solved exactly by HiGHS, and anyone still waiting is given the best
  household with room.
- Last, on every path, a pass of moves to free room and pairwise swaps over the full score
  matrix runs until neither raises the total: no single swap of two assignments, and no move
  of one unit into free room, can beat the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix, csr_matrix, vstack

FloatArray = npt.NDArray[np.floating]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# A tiny reward per child placed, so that placing a child with a score of 0 beats leaving
# them without a family (it never changes which of two placements scores higher).
PLACEMENT_BONUS = 1e-3
# Gains below this (a thousandth of a point) are ties: it also absorbs float32 rounding.
TOLERANCE = 1e-3
EXACT_EDGES = 20_000
ROW_CHUNK = 512  # rows of the score matrix handled at once (bounds temporary memory)


@dataclass(frozen=True)
class Solution:
    household_of: IntArray  # per unit: the household's position, or -1
    total: float  # Σ value over assigned units
    status: str  # "optimal", "time_limit", "bounded" (large: see ``bound``), "empty"
    edges: int  # (unit, household) pairs given to the integer programme
    bound: float | None  # no assignment can total more than this (None: not computed)


def feasible_pairs(values: FloatArray, sizes: IntArray, vacancies: IntArray) -> BoolArray:
    result: BoolArray = np.isfinite(values) & (vacancies[None, :] >= sizes[:, None])
    return result


def total_of(values: FloatArray, household_of: IntArray) -> float:
    assigned = np.flatnonzero(household_of >= 0)
    return float(np.sum(values[assigned, household_of[assigned]], dtype=np.float64))


def _matrix(
    eu: IntArray, eh: IntArray, sizes: IntArray, n_units: int, n_households: int
) -> csr_matrix:
    edges = np.arange(eu.size)
    one_each = coo_matrix((np.ones(eu.size), (eu, edges)), shape=(n_units, eu.size))
    room = coo_matrix((sizes[eu].astype(np.float64), (eh, edges)), shape=(n_households, eu.size))
    return vstack([one_each, room]).tocsr()


def _objective(values: FloatArray, sizes: IntArray, eu: IntArray, eh: IntArray) -> FloatArray:
    result: FloatArray = values[eu, eh].astype(np.float64) + PLACEMENT_BONUS * sizes[eu]
    return result


def _milp(
    values: FloatArray,
    sizes: IntArray,
    capacity: IntArray,
    eu: IntArray,
    eh: IntArray,
    n_units: int,
    time_limit: float,
) -> tuple[IntArray | None, str, float | None]:
    """Exact over the given pairs: the choice per unit, the status, and HiGHS's bound."""
    household_of = np.full(n_units, -1, dtype=np.int64)
    if eu.size == 0:
        return household_of, "optimal", 0.0
    result = milp(
        -_objective(values, sizes, eu, eh),
        constraints=LinearConstraint(
            _matrix(eu, eh, sizes, n_units, capacity.size),
            -np.inf,
            np.concatenate([np.ones(n_units), capacity.astype(np.float64)]),
        ),
        integrality=np.ones(eu.size),
        bounds=Bounds(0, 1),
        options={"time_limit": max(time_limit, 0.1), "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return None, "time_limit", None
    chosen = np.flatnonzero(result.x > 0.5)
    household_of[eu[chosen]] = eh[chosen]
    bound = getattr(result, "mip_dual_bound", None)
    return (
        household_of,
        "optimal" if result.status == 0 else "time_limit",
        -float(bound) if bound is not None else None,
    )


def _top_per_row(scores: FloatArray, k: int) -> tuple[IntArray, IntArray]:
    """Per row, the columns of its ``k`` highest finite scores."""
    k = min(k, scores.shape[1])
    if k == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]), k)
    cols = part.ravel().astype(np.int64)
    keep = np.isfinite(scores[rows, cols])
    return rows[keep].astype(np.int64), cols[keep]


def _column_generation(
    values: FloatArray,
    sizes: IntArray,
    vacancies: IntArray,
    feasible: BoolArray,
    *,
    initial: int = 3,
    per_round: int = 6,
    max_rounds: int = 12,
    relative_gap: float = 1e-3,
) -> tuple[IntArray, IntArray, FloatArray, float]:
    """The LP relaxation over every feasible pair, by adding the pairs whose reduced cost is
    positive. Returns the pairs used, the LP solution on them, and an upper bound on the
    total of any assignment: with the LP's prices μ of the places, no assignment can beat
    Σ_h vacancy_h·μ_h + Σ_u max(0, max_h value[u, h] − size_u·μ_h) (Lagrangian relaxation of
    the vacancies), which meets the LP optimum once no pair is left out that could help."""
    n_units, n_households = values.shape
    bonus = (PLACEMENT_BONUS * sizes).astype(np.float32)
    weights = np.where(feasible, values, -np.inf).astype(np.float32) + bonus[:, None]
    chosen = np.zeros((n_units, n_households), dtype=np.bool_)
    for start in range(0, n_units, ROW_CHUNK):
        r, c = _top_per_row(weights[start : start + ROW_CHUNK], initial)
        chosen[r + start, c] = True
    upper = np.concatenate([np.ones(n_units), vacancies.astype(np.float64)])
    sizes32 = sizes.astype(np.float32)
    for _round in range(max_rounds):
        eu, eh = (a.astype(np.int64) for a in np.nonzero(chosen))
        result = linprog(
            -_objective(values, sizes, eu, eh),
            A_ub=_matrix(eu, eh, sizes, n_units, n_households),
            b_ub=upper,
            bounds=(0, 1),
            method="highs",
        )
        x = result.x
        objective = -float(result.fun)
        duals = -result.ineqlin.marginals
        unit_price = duals[:n_units].astype(np.float32)
        room_price = duals[n_units:].astype(np.float32)
        bound = float(np.dot(vacancies.astype(np.float64), room_price))
        new_rows: list[IntArray] = []
        new_cols: list[IntArray] = []
        for start in range(0, n_units, ROW_CHUNK):
            rows = slice(start, start + ROW_CHUNK)
            lagrangian = weights[rows] - sizes32[rows, None] * room_price[None, :]
            bound += float(np.sum(np.maximum(lagrangian.max(axis=1), 0), dtype=np.float64))
            reduced = lagrangian - unit_price[rows, None]
            r, c = _top_per_row(np.where(reduced > TOLERANCE, reduced, -np.inf), per_round + 1)
            fresh = ~chosen[r + start, c]
            new_rows.append(r[fresh] + start)
            new_cols.append(c[fresh])
        add_rows, add_cols = np.concatenate(new_rows), np.concatenate(new_cols)
        if add_rows.size == 0 or bound - objective <= relative_gap * max(objective, 1.0):
            return eu, eh, x, max(bound, objective)
        chosen[add_rows, add_cols] = True
    return eu, eh, x, max(bound, objective)


def _fill(values: FloatArray, sizes: IntArray, free: IntArray, household_of: IntArray) -> IntArray:
    """Units still waiting, best value first, each to its best household with room."""
    result = household_of.copy()
    waiting = np.flatnonzero(result < 0)
    if waiting.size == 0:
        return result
    best = np.max(values[waiting], axis=1)  # −inf rows (nowhere to go) sort last
    order = waiting[np.argsort(-best, kind="stable")]
    for u in order:
        row = np.where(free >= sizes[u], values[u], -np.inf)
        h = int(np.argmax(row))
        if np.isfinite(row[h]):
            result[u] = h
            free[h] -= sizes[u]
    return result


def _round(
    values: FloatArray,
    sizes: IntArray,
    vacancies: IntArray,
    eu: IntArray,
    eh: IntArray,
    x: FloatArray,
    time_limit: float,
) -> IntArray:
    """From the LP to an assignment: keep its whole assignments outside the contested
    households, solve the contested part exactly, then give the rest the best room left."""
    n_units = values.shape[0]
    fractional = (x > 1e-6) & (x < 1 - 1e-6)
    contested = np.zeros(vacancies.size, dtype=np.bool_)
    contested[eh[fractional]] = True
    # the units split by the LP, and those it put whole into a household one of them wants
    open_units = np.zeros(n_units, dtype=np.bool_)
    open_units[eu[fractional]] = True
    open_units[eu[contested[eh] & (x > 0.5)]] = True
    household_of = np.full(n_units, -1, dtype=np.int64)
    whole = (x > 1 - 1e-6) & ~open_units[eu]
    household_of[eu[whole]] = eh[whole]
    free = vacancies.astype(np.int64).copy()
    np.subtract.at(free, household_of[household_of >= 0], sizes[household_of >= 0])
    units = np.flatnonzero(open_units)
    if units.size:
        keep = open_units[eu] & (free[eh] >= sizes[eu])
        su, sh = eu[keep], eh[keep]
        local = np.searchsorted(units, su)
        solved, _status, _bound = _milp(
            values[units], sizes[units], free, local, sh, units.size, time_limit
        )
        if solved is not None:
            placed = np.flatnonzero(solved >= 0)
            household_of[units[placed]] = solved[placed]
            np.subtract.at(free, solved[placed], sizes[units[placed]])
    return _fill(values, sizes, free, household_of)


def _moves(values: FloatArray, sizes: IntArray, result: IntArray, free: IntArray) -> bool:
    """Each unit (placed or waiting) to the household with room it scores most with, where
    that raises the total; the best moves first, each checked again as others happen."""
    n_units = values.shape[0]
    bonus = PLACEMENT_BONUS * sizes
    placed = result >= 0
    current = np.zeros(n_units)
    current[placed] = values[np.flatnonzero(placed), result[placed]] + bonus[placed]
    targets = np.full(n_units, -1, dtype=np.int64)
    gains = np.full(n_units, -np.inf)
    for start in range(0, n_units, ROW_CHUNK):
        rows = np.arange(start, min(start + ROW_CHUNK, n_units))
        block = np.where(free[None, :] >= sizes[rows, None], values[rows], -np.inf)
        own = result[rows] >= 0
        block[np.flatnonzero(own), result[rows][own]] = -np.inf
        best = np.argmax(block, axis=1)
        targets[rows] = best
        gains[rows] = block[np.arange(rows.size), best] + bonus[rows] - current[rows]
    changed = False
    for u in np.flatnonzero(gains > TOLERANCE)[np.argsort(-gains[gains > TOLERANCE])]:
        h = targets[u]
        if free[h] < sizes[u]:
            continue  # taken by an earlier move in this pass
        if result[u] >= 0:
            free[result[u]] += sizes[u]
        free[h] -= sizes[u]
        result[u] = h
        changed = True
    return changed


def _swaps(values: FloatArray, sizes: IntArray, result: IntArray, free: IntArray) -> bool:
    """Pairs of placed units exchanging households where that raises the total (room
    permitting); the best first, each unit in at most one swap per pass."""
    placed = np.flatnonzero(result >= 0)
    if placed.size < 2:
        return False
    homes = result[placed]
    own = values[placed, homes]
    # cross[i, j]: placed unit i in placed unit j's household
    cross = values[np.ix_(placed, homes)]
    found_i: list[IntArray] = []
    found_j: list[IntArray] = []
    found_gain: list[FloatArray] = []
    for start in range(0, placed.size, ROW_CHUNK):
        rows = np.arange(start, min(start + ROW_CHUNK, placed.size))
        gain = cross[rows] + cross[:, rows].T  # i in j's household, and j in i's
        gain -= own[rows, None]
        gain -= own[None, :]
        i, j = np.nonzero(gain > TOLERANCE)  # −inf (infeasible) and NaN never pass
        keep = rows[i] < j
        i, j = i[keep], j[keep]
        found_i.append(rows[i])
        found_j.append(j.astype(np.int64))
        found_gain.append(gain[i, j].astype(np.float64))
    gains = np.concatenate(found_gain)
    if gains.size == 0:
        return False
    first, second = np.concatenate(found_i), np.concatenate(found_j)
    touched = np.zeros(placed.size, dtype=np.bool_)
    changed = False
    for e in np.argsort(-gains, kind="stable"):
        i, j = first[e], second[e]
        if touched[i] or touched[j]:
            continue
        a, b = placed[i], placed[j]
        ha, hb = result[a], result[b]
        if ha == hb:
            continue
        if sizes[a] != sizes[b] and not (
            free[hb] + sizes[b] >= sizes[a] and free[ha] + sizes[a] >= sizes[b]
        ):
            continue  # the room changed with an earlier swap
        free[ha] += sizes[a] - sizes[b]
        free[hb] += sizes[b] - sizes[a]
        result[a], result[b] = hb, ha
        touched[i] = touched[j] = True
        changed = True
    return changed


def improve(
    values: FloatArray,
    sizes: IntArray,
    vacancies: IntArray,
    household_of: IntArray,
    max_passes: int = 100,
) -> IntArray:
    """Moves to free room and pairwise swaps, while any raises the total."""
    result = household_of.copy()
    free = vacancies.astype(np.int64).copy()
    np.subtract.at(free, result[result >= 0], sizes[result >= 0])
    for _pass in range(max_passes):
        moved = _moves(values, sizes, result, free)
        swapped = _swaps(values, sizes, result, free)
        if not moved and not swapped:
            break
    return result


def assign(
    values: FloatArray,
    sizes: IntArray,
    vacancies: IntArray,
    *,
    exact_edges: int = EXACT_EDGES,
    time_limit: float = 60.0,
) -> Solution:
    """The assignment of units (rows of ``values``, −inf where a household is infeasible) to
    households (columns) that maximises the total value."""
    sizes = np.asarray(sizes, dtype=np.int64)
    vacancies = np.maximum(np.asarray(vacancies, dtype=np.int64), 0)
    n_units = values.shape[0]
    feasible = feasible_pairs(values, sizes, vacancies)
    pairs = int(feasible.sum())
    if pairs == 0:
        return Solution(np.full(n_units, -1, dtype=np.int64), 0.0, "empty", 0, 0.0)
    if pairs <= exact_edges:
        eu, eh = (a.astype(np.int64) for a in np.nonzero(feasible))
        solved, status, bound = _milp(values, sizes, vacancies, eu, eh, n_units, time_limit)
        household_of = (
            solved
            if solved is not None
            else _fill(values, sizes, vacancies.copy(), np.full(n_units, -1, dtype=np.int64))
        )
        edges = int(eu.size)
    else:
        eu, eh, x, bound = _column_generation(values, sizes, vacancies, feasible)
        household_of = _round(values, sizes, vacancies, eu, eh, x, time_limit)
        status, edges = "bounded", int(eu.size)
    household_of = improve(values, sizes, vacancies, household_of)
    # (the bound includes the small bonus per child placed, so it stays an upper bound)
    return Solution(household_of, total_of(values, household_of), status, edges, bound)
