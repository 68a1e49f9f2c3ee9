"""Plain MCTS (UCT, random playouts) on Connect Four in pure Python: the same algorithm as
HpcLearn's RolloutMcts (bitboards, UCB1 c = sqrt(2), one node per simulation), for a
rollouts-per-second comparison. Usage: mcts_python.py SECONDS"""
import math, random, sys, time

H1, W = 7, 7
BOTTOM = sum(1 << (c * H1) for c in range(W))
BOARD = BOTTOM * ((1 << 6) - 1)

def has_four(p):
    for d in (1, 7, 6, 8):
        m = p & (p >> d)
        if m & (m >> (2 * d)):
            return True
    return False

class State:
    __slots__ = ("cur", "mask", "moves", "won")
    def __init__(self, cur, mask, moves):
        self.cur, self.mask, self.moves = cur, mask, moves
        self.won = moves >= 7 and has_four(cur ^ mask)
    def terminal(self): return self.won or self.moves == 42
    def legal(self): return [c for c in range(W) if not self.terminal() and not (self.mask >> (5 + c * H1)) & 1]
    def play(self, c):
        mask = self.mask | (self.mask + (1 << (c * H1)))
        return State(self.cur ^ self.mask, mask, self.moves + 1)
    def winner(self): return (1 - (self.moves & 1)) if self.won else -1

class Node:
    __slots__ = ("state", "action", "visits", "wins", "children", "untried")
    def __init__(self, state, action):
        self.state, self.action, self.visits, self.wins, self.children, self.untried = state, action, 0, 0.0, [], None

def search(root_state, rollouts, rng):
    root = Node(root_state, -1)
    for _ in range(rollouts):
        node, path = root, [root]
        while not node.state.terminal():
            if node.untried is None:
                node.untried = node.state.legal()
            if node.untried:
                a = node.untried.pop(rng.randrange(len(node.untried)))
                child = Node(node.state.play(a), a)
                node.children.append(child); path.append(child); node = child
                break
            log_n = math.log(node.visits)
            node = max(node.children, key=lambda c: c.wins / c.visits + 1.41421356 * math.sqrt(log_n / c.visits))
            path.append(node)
        s = node.state
        while not s.terminal():
            legal = s.legal()
            s = s.play(legal[rng.randrange(len(legal))])
        w = s.winner()
        for n in path:
            n.visits += 1
            mover = 1 - (n.state.moves & 1)
            n.wins += 0.5 if w < 0 else (1.0 if w == mover else 0.0)
    return max(root.children, key=lambda c: c.visits).action

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
rng = random.Random(1)
search(State(0, 0, 0), 200, rng)
count, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    search(State(0, 0, 0), 1000, rng); count += 1000
dt = time.perf_counter() - t0
print(f"part=rollout_mcts_c4_python rollouts={count} seconds={dt:.2f} per_second={count / dt:.0f}")
