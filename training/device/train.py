"""Step 3 (on the GPU machine): train the Qwen2-shaped code model.

A plain PyTorch Qwen2 (RMSNorm, rotary embeddings in the NeoX/rotate-half layout that
llama.cpp's qwen2 graph uses, q/k/v biases, grouped-query attention, SwiGLU) with the
token embedding tied to the output, so that the 152k-row vocabulary is stored once.
bf16 autocast, torch.compile, fused AdamW, DDP over all GPUs (torchrun), a wall-clock
budget turned into a step count after warm-up, linear warm-up then cosine decay.
In the last part of training the embedding is fake-quantized to Q4_0 (straight-through),
the format it is shipped in, so the model learns to live with that rounding.

Exports (rank 0) write the weights as GGUF-named tensors: the embedding as Q4_0 blocks
(exactly llama.cpp's quantize_row_q4_0_ref), other matrices f16, vectors f32, in one
binary file with a JSON index. The GGUF itself is written by the project's writer.

    torchrun --standalone --nproc_per_node=N train.py --data DIR --work DIR --train-seconds S
"""
import argparse
import contextlib
import json
import math
import os
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 151936


class Cfg:
    def __init__(self, **kw):
        self.d = kw.get('d', 256)
        self.layers = kw.get('layers', 12)
        self.heads = kw.get('heads', 4)
        self.kv_heads = kw.get('kv_heads', 2)
        self.ffn = kw.get('ffn', 896)
        self.rope_theta = kw.get('rope_theta', 10000.0)
        self.eps = 1e-6
        self.vocab = kw.get('vocab', VOCAB)
        # 'q4_0': the core's matrices are fake-quantized too and exported as Q4_0 blocks, so
        # twice the core fits the file size that Q8_0 allows (run 6 and later).
        self.core_quant = kw.get('core_quant', 'none')

    def as_dict(self):
        return dict(d=self.d, layers=self.layers, heads=self.heads, kv_heads=self.kv_heads, ffn=self.ffn, rope_theta=self.rope_theta, eps=self.eps, vocab=self.vocab,
                    core_quant=self.core_quant)


def q4_0_fake(w):
    """Q4_0 round trip of a [rows, cols] weight (cols % 32 == 0), as llama.cpp does it."""
    b = w.float().reshape(-1, 32)
    idx = b.abs().argmax(dim=1, keepdim=True)
    mx = b.gather(1, idx)
    d = mx / -8.0
    # No infinity anywhere, even in the branch torch.where drops: an all-zero block (the new
    # layers of --grow start with zeroed projections) gave 1/0 = inf, and the compiled bf16
    # step of run 6's first call turned that into NaN gradients at step 1.
    nz = d != 0
    inv = torch.where(nz, 1.0 / torch.where(nz, d, torch.ones_like(d)), torch.zeros_like(d))
    q = torch.clamp(torch.floor(b * inv + 8.5), max=15.0)
    deq = (q - 8.0) * d.half().float()
    return deq.reshape(w.shape)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rope_cache(seq, hd, theta, device):
    inv = 1.0 / (theta ** (torch.arange(0, hd, 2, device=device).float() / hd))
    t = torch.arange(seq, device=device).float()
    f = torch.outer(t, inv)
    emb = torch.cat([f, f], dim=-1)
    return emb.cos(), emb.sin()


def apply_rope(x, cos, sin):
    h = x.shape[-1] // 2
    rot = torch.cat([-x[..., h:], x[..., :h]], dim=-1)
    return x * cos + rot * sin


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        hd = c.d // c.heads
        self.attn_norm = RMSNorm(c.d, c.eps)
        self.q = nn.Linear(c.d, c.heads * hd, bias=True)
        self.k = nn.Linear(c.d, c.kv_heads * hd, bias=True)
        self.v = nn.Linear(c.d, c.kv_heads * hd, bias=True)
        self.o = nn.Linear(c.heads * hd, c.d, bias=False)
        self.ffn_norm = RMSNorm(c.d, c.eps)
        self.gate = nn.Linear(c.d, c.ffn, bias=False)
        self.up = nn.Linear(c.d, c.ffn, bias=False)
        self.down = nn.Linear(c.ffn, c.d, bias=False)

    def lin(self, m, h, alpha):
        """m(h), with m's weight as shipped (Q4_0 round trip, straight-through) when the core is quantized."""
        if self.c.core_quant != 'q4_0':
            return m(h)
        w = m.weight
        return F.linear(h, w + alpha * (q4_0_fake(w).to(w.dtype) - w).detach(), m.bias)

    def forward(self, x, cos, sin, alpha):
        c = self.c
        B, T, _ = x.shape
        hd = c.d // c.heads
        h = self.attn_norm(x)
        q = self.lin(self.q, h, alpha).view(B, T, c.heads, hd).transpose(1, 2)
        k = self.lin(self.k, h, alpha).view(B, T, c.kv_heads, hd).transpose(1, 2)
        v = self.lin(self.v, h, alpha).view(B, T, c.kv_heads, hd).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        rep = c.heads // c.kv_heads
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        if hasattr(F, 'scaled_dot_product_attention'):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # old torch (CPU smoke tests)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            s = s.masked_fill(torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1), float('-inf'))
            a = s.softmax(-1) @ v
        x = x + self.lin(self.o, a.transpose(1, 2).reshape(B, T, c.d), alpha)
        h = self.ffn_norm(x)
        return x + self.lin(self.down, F.silu(self.lin(self.gate, h, alpha)) * self.lin(self.up, h, alpha), alpha)


class Model(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab, c.d)
        self.blocks = nn.ModuleList([Block(c) for _ in range(c.layers)])
        self.norm = RMSNorm(c.d, c.eps)
        # A buffer, not a Python flag: switching it on does not make torch.compile recompile.
        self.register_buffer('fq_alpha', torch.zeros(()), persistent=False)
        for n, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * c.layers) if n.endswith(('o.weight', 'down.weight')) else 0.02
                nn.init.normal_(p, std=std)
            elif n.endswith('bias'):
                nn.init.zeros_(p)

    @property
    def fake_quant(self):
        return bool(self.fq_alpha.item())

    @fake_quant.setter
    def fake_quant(self, on):
        self.fq_alpha.fill_(1.0 if on else 0.0)

    def emb_weight(self):
        w = self.embed.weight
        return w + self.fq_alpha * (q4_0_fake(w).to(w.dtype) - w).detach()

    def forward(self, idx, targets=None, last_only=False, weights=None):
        T = idx.shape[1]
        w = self.emb_weight()
        x = F.embedding(idx, w)
        cos, sin = rope_cache(T, self.c.d // self.c.heads, self.c.rope_theta, idx.device)
        for b in self.blocks:
            x = b(x, cos, sin, self.fq_alpha)
        x = self.norm(x)
        if last_only:
            x = x[:, -1:]
        logits = F.linear(x, w)
        if targets is None:
            return logits
        if weights is None:
            return F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100)
        ce = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100, reduction='none')
        w = weights.reshape(-1) * (targets.reshape(-1) != -100)
        return (ce * w).sum() / w.sum().clamp(min=1.0)


def middle_weights(inp, ids, weight):
    """Per-target loss weights: `weight` for the targets of a FIM middle (its tokens and the
    <|endoftext|> that closes it), 1 elsewhere. A middle is a few tokens in an example of
    hundreds, so unweighted it is about 1 % of the loss; it is the only part that teaches
    the model to use the suffix."""
    T = inp.shape[1]
    pos = torch.arange(T, device=inp.device).expand_as(inp)
    neg = torch.full_like(pos, -1)
    last_mid = torch.where(inp == ids['<|fim_middle|>'], pos, neg).cummax(dim=1).values
    ends = (inp == ids['<|endoftext|>']) | (inp == ids['<|fim_prefix|>'])
    last_end = torch.where(ends, pos, neg).cummax(dim=1).values
    in_mid = last_mid > last_end
    return torch.where(in_mid, torch.full_like(inp, weight, dtype=torch.float32), torch.ones_like(inp, dtype=torch.float32))


# ---- export -----------------------------------------------------------------------------

def q4_0_blocks(w):
    """Bytes of llama.cpp Q4_0 blocks (f16 scale + 16 bytes of nibbles) for a float32 array."""
    b = w.astype(np.float32).reshape(-1, 32)
    idx = np.abs(b).argmax(axis=1)
    mx = b[np.arange(len(b)), idx]
    d = mx / np.float32(-8.0)
    with np.errstate(divide='ignore'):
        inv = np.where(d != 0, np.float32(1.0) / d, np.float32(0.0)).astype(np.float32)
    q = np.minimum(np.floor(b * inv[:, None] + np.float32(8.5)), 15).astype(np.uint8)
    lo, hi = q[:, :16], q[:, 16:]
    nib = (lo | (hi << 4)).astype(np.uint8)
    out = np.empty((len(b), 18), dtype=np.uint8)
    out[:, :2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:] = nib
    return out.tobytes()


def gguf_tensors(model):
    """(name, torch-order shape, dtype, bytes) in GGUF naming."""
    sd = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}
    out = [('token_embd.weight', list(sd['embed.weight'].shape), 'q4_0', q4_0_blocks(sd['embed.weight'])),
           ('output_norm.weight', list(sd['norm.weight'].shape), 'f32', sd['norm.weight'].astype(np.float32).tobytes())]
    names = {'attn_norm.weight': 'attn_norm.weight', 'q.weight': 'attn_q.weight', 'q.bias': 'attn_q.bias', 'k.weight': 'attn_k.weight',
             'k.bias': 'attn_k.bias', 'v.weight': 'attn_v.weight', 'v.bias': 'attn_v.bias', 'o.weight': 'attn_output.weight',
             'ffn_norm.weight': 'ffn_norm.weight', 'gate.weight': 'ffn_gate.weight', 'up.weight': 'ffn_up.weight', 'down.weight': 'ffn_down.weight'}
    for i in range(model.c.layers):
        for k, g in names.items():
            a = sd[f'blocks.{i}.{k}']
            if a.ndim == 2 and model.c.core_quant == 'q4_0':
                out.append((f'blk.{i}.{g}', list(a.shape), 'q4_0', q4_0_blocks(a)))
            elif a.ndim == 2:
                out.append((f'blk.{i}.{g}', list(a.shape), 'f16', a.astype(np.float16).tobytes()))
            else:
                out.append((f'blk.{i}.{g}', list(a.shape), 'f32', a.astype(np.float32).tobytes()))
    return out


REF_TEXTS = ['import os\n\n\ndef read_lines(path):\n    with open(path) as f:\n        return [line.rstrip() for line in f]\n\n\ndef main():\n    ',
             'class Stack:\n    def __init__(self):\n        self.items = []\n\n    def push(self, item):\n']


@torch.no_grad()
def reference_logits(model, tok, ids, device):
    """Last-position logits in float32 for fixed prompts (plain and FIM), with the embedding
    as shipped (Q4_0 round trip): llama.cpp must reproduce these from the GGUF."""
    model.eval()
    old, tf32 = model.fake_quant, torch.backends.cuda.matmul.allow_tf32
    model.fake_quant, torch.backends.cuda.matmul.allow_tf32 = True, False
    out = []
    a = tok.encode(REF_TEXTS[0], add_special_tokens=False).ids
    b = tok.encode(REF_TEXTS[1], add_special_tokens=False).ids
    fim = [ids['<|fim_prefix|>']] + b[:12] + [ids['<|fim_suffix|>']] + b[12:] + [ids['<|fim_middle|>']]
    for seq in (a, fim):
        lg = model(torch.tensor([seq], device=device), last_only=True)[0, -1].float()
        top = torch.topk(lg, 64)
        out.append({'tokens': seq, 'top_ids': top.indices.tolist(), 'top_logits': [round(v, 5) for v in top.values.tolist()],
                    'mean': lg.mean().item(), 'std': lg.std().item()})
    model.fake_quant, torch.backends.cuda.matmul.allow_tf32 = old, tf32
    model.train()
    return out


def export_layers(path):
    index = json.load(open(path + '.json'))
    return len({t['name'].split('.')[1] for t in index['tensors'] if t['name'].startswith('blk.')})


def grow_from_export(model, path):
    """A deeper model from an export of fewer layers, computing the same function at first:
    the old layers keep their order, spread evenly, and each new layer is a copy of the old
    one before it with its attention output and FFN down projections zeroed, so it adds
    nothing to the residual stream until training gives it something to add."""
    n_old, n_new = export_layers(path), model.c.layers
    small = Model(Cfg(**{**model.c.as_dict(), 'layers': n_old}))
    load_export(small, path)
    at = [i * n_new // n_old for i in range(n_old)]
    src = []
    for j in range(n_new):
        src.append(max(i for i, p in enumerate(at) if p <= j))
    with torch.no_grad():
        model.embed.weight.copy_(small.embed.weight)
        model.norm.weight.copy_(small.norm.weight)
        for j, i in enumerate(src):
            model.blocks[j].load_state_dict(small.blocks[i].state_dict())
            if j not in at:
                model.blocks[j].o.weight.zero_()
                model.blocks[j].down.weight.zero_()
    return {'grown_from_layers': n_old, 'old_layer_at': at}


def load_export(model, path):
    """Weights from an export (the embedding comes back from its Q4_0 blocks)."""
    index = json.load(open(path + '.json'))
    blob = open(path + '.bin', 'rb').read()
    inv = {'attn_norm.weight': 'attn_norm.weight', 'attn_q.weight': 'q.weight', 'attn_q.bias': 'q.bias', 'attn_k.weight': 'k.weight',
           'attn_k.bias': 'k.bias', 'attn_v.weight': 'v.weight', 'attn_v.bias': 'v.bias', 'attn_output.weight': 'o.weight',
           'ffn_norm.weight': 'ffn_norm.weight', 'ffn_gate.weight': 'gate.weight', 'ffn_up.weight': 'up.weight', 'ffn_down.weight': 'down.weight'}
    sd = model.state_dict()
    for t in index['tensors']:
        raw = np.frombuffer(blob, dtype=np.uint8, count=t['nbytes'], offset=t['offset'])
        if t['dtype'] == 'q4_0':
            b = raw.reshape(-1, 18)
            d = b[:, :2].copy().view(np.float16).astype(np.float32)
            q = np.concatenate([b[:, 2:] & 0x0F, b[:, 2:] >> 4], axis=1).astype(np.float32) - 8.0
            a = (q * d).reshape(t['shape'])
        elif t['dtype'] == 'f16':
            a = raw.view(np.float16).astype(np.float32).reshape(t['shape'])
        else:
            a = raw.view(np.float32).reshape(t['shape'])
        n = t['name']
        key = 'embed.weight' if n == 'token_embd.weight' else 'norm.weight' if n == 'output_norm.weight' else f"blocks.{n.split('.')[1]}.{inv['.'.join(n.split('.')[2:])]}"
        sd[key].copy_(torch.from_numpy(a.copy()))


def export(model, path, meta):
    index, off = [], 0
    with open(path + '.bin', 'wb') as fh:
        for name, shape, dtype, data in gguf_tensors(model):
            fh.write(data)
            index.append({'name': name, 'shape': shape, 'dtype': dtype, 'offset': off, 'nbytes': len(data)})
            off += len(data)
    with open(path + '.json', 'w') as fh:
        json.dump({**meta, 'tensors': index}, fh, indent=1)


# ---- evaluation on held-out standard-library code -----------------------------------------

@torch.no_grad()
def val_loss(model, rows, device, fq):
    model.eval()
    old = model.fake_quant
    model.fake_quant = fq
    tot, n = 0.0, 0
    for i in range(0, len(rows), 8):
        r = torch.from_numpy(rows[i:i + 8].astype(np.int64)).to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
            loss = model(r[:, :-1], r[:, 1:])
        tot += loss.item() * len(r)
        n += len(r)
    model.fake_quant = old
    model.train()
    return tot / max(n, 1)


@contextlib.contextmanager
def as_shipped(model):
    """The weights as the GGUF will hold them (the embedding, and with --core-quant q4_0 every
    core matrix, through the Q4_0 round trip), computed once and put in place, then restored.
    Fake quantization in the forward pass re-quantizes every weight at every call: in run 6's
    24-layer, Q4_0-core model that made one token-by-token evaluation take 3-4 minutes."""
    saved, cq, fq = {}, model.c.core_quant, model.fake_quant
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n == 'embed.weight' or (cq == 'q4_0' and p.dim() == 2):
                saved[n] = p.detach().clone()
                p.copy_(q4_0_fake(p).to(p.dtype))
    model.c.core_quant, model.fake_quant = 'none', False
    try:
        yield model
    finally:
        with torch.no_grad():
            for n, p in model.named_parameters():
                if n in saved:
                    p.copy_(saved[n])
        model.c.core_quant, model.fake_quant = cq, fq


@torch.no_grad()
def greedy_first_line(model, tok, cases, ids, device, fim, max_new=40):
    """Share of cases whose generated first line equals the truth's, and the middle's loss,
    with the weights as they will ship."""
    with as_shipped(model):
        return _greedy_first_line(model, tok, cases, ids, device, fim, max_new)


def _greedy_first_line(model, tok, cases, ids, device, fim, max_new):
    model.eval()
    hits, mid_loss, mid_n = 0, 0.0, 0
    for c in cases:
        pre = tok.encode(c['prefix'], add_special_tokens=False).ids[-1100:]
        if fim:
            suf = tok.encode(c['suffix'], add_special_tokens=False).ids[:350]
            prompt = [ids['<|fim_prefix|>']] + pre + [ids['<|fim_suffix|>']] + suf + [ids['<|fim_middle|>']]
        else:
            prompt = pre
        mid = tok.encode(c['middle'], add_special_tokens=False).ids
        full = torch.tensor([prompt + mid], device=device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
            lg = model(full[:, :-1]).float()
        tgt = full[0, len(prompt):]
        mid_loss += F.cross_entropy(lg[0, len(prompt) - 1:], tgt, reduction='sum').item()
        mid_n += len(tgt)
        seq = list(prompt)
        gen = []
        for _ in range(max_new):
            x = torch.tensor([seq[-2047:]], device=device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
                nxt = int(model(x, last_only=True)[0, -1].argmax())
            if nxt in (ids['<|endoftext|>'], ids['<|fim_prefix|>'], ids['<|fim_suffix|>'], ids['<|fim_middle|>']):
                break
            gen.append(nxt)
            seq.append(nxt)
            text = tok.decode(gen)
            if '\n' in text.lstrip('\n') and text.strip():
                break
        text = tok.decode(gen)
        first = text.split('\n')[0] if text.strip() else ''
        truth = c['middle'].split('\n')[0]
        hits += int(first.rstrip() == truth.rstrip() and truth.strip() != '')
    model.train()
    return hits / max(len(cases), 1), mid_loss / max(mid_n, 1)


# ---- training -----------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--tokenizer', default='tokenizer.json')
    ap.add_argument('--train-seconds', type=float, default=600)
    ap.add_argument('--micro-batch', type=int, default=16)
    ap.add_argument('--accum', type=int, default=2)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--min-lr-frac', type=float, default=0.1)
    ap.add_argument('--warmup', type=int, default=150)
    ap.add_argument('--wd', type=float, default=0.1)
    ap.add_argument('--qat-from', type=float, default=0.75, help='fraction of steps after which the embedding is fake-quantized')
    ap.add_argument('--eval-cases', type=int, default=48)
    ap.add_argument('--evals', type=int, default=5)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--d', type=int, default=256)
    ap.add_argument('--layers', type=int, default=12)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--kv-heads', type=int, default=2)
    ap.add_argument('--ffn', type=int, default=896)
    ap.add_argument('--middle-weight', type=float, default=1.0, help='loss weight of FIM middle targets (run 3: 5)')
    ap.add_argument('--no-compile', action='store_true')
    ap.add_argument('--init', default='', help='start from an export (PATH without .json/.bin): continued training')
    ap.add_argument('--core-quant', choices=['none', 'q4_0'], default='none', help='fake-quantize the core matrices too and export them as Q4_0 (with --qat-from)')
    ap.add_argument('--grow', action='store_true', help='--init has fewer layers than --layers: insert new layers that start as no-ops (grow_from_export)')
    ap.add_argument('--max-steps', type=int, default=0, help='smoke tests: stop after this many steps')
    ap.add_argument('--smoke-vocab', type=int, default=0, help='smoke tests on a CPU: a small vocabulary (token ids taken modulo it)')
    args = ap.parse_args()

    ddp = 'RANK' in os.environ
    if ddp:
        dist.init_process_group('nccl')
        rank, world = dist.get_rank(), dist.get_world_size()
        local = int(os.environ['LOCAL_RANK'])
        torch.cuda.set_device(local)
        device = torch.device('cuda', local)
    else:
        rank, world = 0, 1
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    master = rank == 0
    torch.manual_seed(args.seed + rank)
    np.random.seed(args.seed + rank)
    if device.type == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    cfg = Cfg(d=args.d, layers=args.layers, heads=args.heads, kv_heads=args.kv_heads, ffn=args.ffn, vocab=args.smoke_vocab or VOCAB, core_quant=args.core_quant)
    torch.manual_seed(args.seed)  # same init on every rank
    model = Model(cfg)
    grown = None
    if args.init:
        n_init = export_layers(args.init)
        if n_init != cfg.layers and not args.grow:
            raise SystemExit(f'--init has {n_init} layers, --layers is {cfg.layers}: pass --grow to insert new layers')
        if n_init < cfg.layers:
            grown = grow_from_export(model, args.init)
        else:
            load_export(model, args.init)
    model = model.to(device)
    n_params = sum(p.numel() for p in model.parameters())
    n_core = n_params - model.embed.weight.numel()

    variants = sorted(f for f in os.listdir(args.data) if f.startswith('train_') and f.endswith('.npy'))
    data = [np.load(os.path.join(args.data, f), mmap_mode='r') for f in variants]
    val_rows = np.load(os.path.join(args.data, 'val_plain.npy'))
    cases = json.load(open(os.path.join(args.data, 'val_cases.json')))[: args.eval_cases]
    tok = None
    if master:
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(args.tokenizer)
    ids = json.load(open(os.path.join(args.data, 'dataset_stats.json')))['special_ids']
    if args.smoke_vocab:
        ids = {k: v % cfg.vocab for k, v in ids.items()}
        val_rows = np.where(val_rows == 0xFFFFFFFF, val_rows, val_rows % cfg.vocab)

    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    fused = device.type == 'cuda'
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': args.wd}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=args.lr, betas=(0.9, 0.95), eps=1e-8, **({'fused': True} if fused else {}))
    raw = model
    if ddp:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[device.index])
    fwd = model if args.no_compile or not hasattr(torch, 'compile') else torch.compile(model)

    seq = data[0].shape[1] - 1
    tokens_per_step = args.micro_batch * seq * args.accum * world
    log_path = os.path.join(args.work, 'loss_log.jsonl')
    hp = {**vars(args), 'world': world, 'seq': seq, 'tokens_per_step': tokens_per_step, 'params': n_params, 'core_params': n_core,
          'embedding_params': raw.embed.weight.numel(), 'config': cfg.as_dict(), 'grown': grown, 'variants': variants,
          'rows_per_variant': [int(len(d)) for d in data], 'gpu': torch.cuda.get_device_name(0) if device.type == 'cuda' else 'cpu',
          'torch': torch.__version__}
    if master:
        print(json.dumps(hp), flush=True)
        with open(os.path.join(args.work, 'hparams.json'), 'w') as fh:
            json.dump(hp, fh, indent=1)
        logf = open(log_path, 'a')

    def log(rec):
        if master:
            rec['wall'] = time.time()
            logf.write(json.dumps(rec) + '\n')
            logf.flush()
            print(json.dumps(rec), flush=True)

    # Every rank walks the same shuffled row order, taking its own slice.
    order_rng = np.random.default_rng(args.seed)
    def batches():
        epoch = 0
        while True:
            d = data[epoch % len(data)]
            perm = order_rng.permutation(len(d))
            per = args.micro_batch * world
            for i in range(0, len(perm) - per + 1, per):
                idx = np.sort(perm[i + rank * args.micro_batch: i + (rank + 1) * args.micro_batch])
                yield epoch, np.asarray(d[idx]).astype(np.int64)
            epoch += 1
    it = batches()

    total_steps = None
    eval_at = set()
    step, t_start, tokens, skipped = 0, None, 0, 0
    t_prev = time.time()
    export_flag = os.path.join(args.work, 'export_now')
    qat_on = False
    while True:
        if step == 30:
            # Steps 0-29 include compilation; time steps 10-29 and size the run to the budget.
            if device.type == 'cuda':
                torch.cuda.synchronize()
            per_step = (time.time() - t10) / 20
            est = torch.tensor([int(args.train_seconds / per_step)], device=device)
            if ddp:
                dist.broadcast(est, 0)
            total_steps = max(int(est.item()), 60)
            if args.max_steps:
                total_steps = min(total_steps, args.max_steps)
            eval_at = {int(total_steps * (k + 1) / args.evals) for k in range(args.evals)}
            log({'event': 'sized', 'step_seconds': per_step, 'total_steps': total_steps, 'tokens_per_s': tokens_per_step / per_step})
        if step == 10:
            if device.type == 'cuda':
                torch.cuda.synchronize()
            t10 = time.time()
            t_start = t10
        if total_steps is not None and step >= total_steps:
            break
        frac = step / total_steps if total_steps else 0.0
        if step < args.warmup:
            lr = args.lr * (step + 1) / args.warmup
        else:
            span = max((total_steps or args.warmup * 10) - args.warmup, 1)
            prog = min(1.0, (step - args.warmup) / span)
            lr = args.lr * (args.min_lr_frac + (1 - args.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * prog)))
        for g in opt.param_groups:
            g['lr'] = lr
        qat = total_steps is not None and frac >= args.qat_from
        if qat != qat_on:
            raw.fake_quant = qat_on = qat
            log({'event': 'fake_quant', 'on': qat, 'step': step})
        loss_sum = 0.0
        for a in range(args.accum):
            epoch, b = next(it)
            x = torch.from_numpy(b).to(device, non_blocking=True)
            inp, tgt = x[:, :-1], x[:, 1:].clone()
            tgt[tgt == 0xFFFFFFFF] = -100
            inp = inp.clamp(max=VOCAB - 1) % cfg.vocab
            tgt = torch.where(tgt >= 0, tgt % cfg.vocab, tgt)
            sync = not ddp or a == args.accum - 1
            ctx = model.no_sync() if (ddp and not sync) else _Null()
            wts = middle_weights(inp, ids, args.middle_weight) if args.middle_weight != 1.0 else None
            with ctx:
                with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == 'cuda'):
                    loss = fwd(inp, tgt, weights=wts) / args.accum
                loss.backward()
            loss_sum += loss.detach()
        gn = torch.nn.utils.clip_grad_norm_(raw.parameters(), 1.0)
        if not torch.isfinite(gn):
            # A non-finite gradient would make every weight NaN for good: skip the update
            # (the gradients are all-reduced, so every rank skips together), and give up
            # early if it never recovers, so the device call can fall back while time is left.
            skipped += 1
            opt.zero_grad(set_to_none=True)
            log({'event': 'skipped', 'step': step, 'skipped': skipped})
            if skipped >= 20 and skipped * 2 > step + skipped:
                log({'event': 'nonfinite', 'step': step, 'skipped': skipped})
                raise SystemExit('NONFINITE: most steps had non-finite gradients')
            continue
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += tokens_per_step
        if step % 10 == 0 or step == 1:
            lv = loss_sum.clone()
            if ddp:
                dist.all_reduce(lv)
                lv /= world
            now = time.time()
            log({'step': step, 'loss': round(lv.item(), 4), 'lr': lr, 'grad_norm': round(float(gn), 3), 'epoch': epoch, 'tokens': tokens,
                 'train_seconds': round(now - t_start, 1) if t_start else 0.0, 'step_seconds': round((now - t_prev) / (10 if step > 1 else 1), 4), 'fake_quant': qat_on})
            t_prev = now
        want_export = step % 10 == 0 and os.path.exists(export_flag)
        if ddp and step % 10 == 0:
            f = torch.tensor([1 if (master and want_export) else 0], device=device)
            dist.broadcast(f, 0)
            want_export = bool(f.item())
        if step in eval_at or want_export:
            if master:
                te = time.time()
                rec = {'event': 'eval', 'step': step, 'tokens': tokens, 'train_seconds': round(time.time() - t_start, 1),
                       'val_loss': round(val_loss(raw, val_rows, device, False), 4), 'val_loss_q4emb': round(val_loss(raw, val_rows, device, True), 4)}
                if step in eval_at:
                    acc_f, ml_f = greedy_first_line(raw, tok, cases, ids, device, True)
                    acc_p, ml_p = greedy_first_line(raw, tok, cases, ids, device, False)
                    rec.update({'exact_first_line_fim': acc_f, 'exact_first_line_prefix': acc_p, 'middle_loss_fim': round(ml_f, 4), 'middle_loss_prefix': round(ml_p, 4), 'cases': len(cases)})
                if want_export:
                    export(raw, os.path.join(args.work, 'export_partial'), {'step': step, 'tokens': tokens, 'hparams': hp, 'reference_logits': reference_logits(raw, tok, ids, device)})
                    os.remove(export_flag)
                    rec['exported'] = 'export_partial'
                rec['eval_seconds'] = round(time.time() - te, 1)
                log(rec)
                t_start += time.time() - te  # evaluation time is not training time
            if ddp:
                dist.barrier()
    if master:
        export(raw, os.path.join(args.work, 'export_final'), {'step': step, 'tokens': tokens, 'hparams': hp, 'reference_logits': reference_logits(raw, tok, ids, device)})
        log({'event': 'done', 'step': step, 'tokens': tokens, 'train_seconds': round(time.time() - t_start, 1)})
        open(os.path.join(args.work, 'DONE'), 'w').close()
    if ddp:
        dist.barrier()
        dist.destroy_process_group()


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


if __name__ == '__main__':
    main()
