#!/usr/bin/env python3
"""A GPU timing target for `completion-lab compare --gpu` on a lent GPU box that has
PyTorch but neither vLLM nor model weights: a randomly initialised model of
DeepSeek-R1-Distill-Qwen-1.5B's exact shape (Qwen2, 28 layers, hidden 1536, 12 heads,
2 KV heads, vocab 151,936, bf16) behind the subset of vLLM's HTTP API the extension uses
(/health, /v1/models, streaming /v1/completions with the final usage chunk). Its text is
noise; its compute per token is the real model's. Not used by the test suites.

    python3 serve_random_qwen2.py --tokenizer tokenizer.json --port 8000
"""
import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch
from tokenizers import Tokenizer
from transformers import Qwen2Config, Qwen2ForCausalLM

MODEL_ID = "random-qwen2-1.5b-shape"
MAX_LEN = 8192

ap = argparse.ArgumentParser()
ap.add_argument("--tokenizer", required=True)
ap.add_argument("--port", type=int, default=8000)
args = ap.parse_args()

tok = Tokenizer.from_file(args.tokenizer)
cfg = Qwen2Config(vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
                  num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=131072,
                  rope_theta=10000.0, tie_word_embeddings=False, torch_dtype=torch.bfloat16)
torch.manual_seed(0)
t0 = time.time()
with torch.device("cuda"):
    model = Qwen2ForCausalLM(cfg).to(torch.bfloat16).eval()
print(f"model ready in {time.time() - t0:.1f} s, {sum(p.numel() for p in model.parameters()) / 1e9:.2f} B params", flush=True)
lock = threading.Lock()  # one sequence at a time, like a single-slot server


def sample(logits, temperature, top_p):
    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    sp, si = torch.sort(probs, descending=True)
    keep = torch.cumsum(sp, 0) - sp < top_p
    sp = sp * keep
    return int(si[torch.multinomial(sp / sp.sum(), 1)])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send_json(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "owned_by": "torch", "root": MODEL_ID, "max_model_len": MAX_LEN}]})
        else:
            self.send_json(404, {"error": {"message": "not found", "type": "NotFoundError", "param": None, "code": 404}})

    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        ids = tok.encode(req["prompt"], add_special_tokens=False).ids
        max_tokens = int(req.get("max_tokens", 16))
        if len(ids) + max_tokens > MAX_LEN:
            return self.send_json(400, {"error": {"message": f"This model's maximum context length is {MAX_LEN} tokens.", "type": "BadRequestError", "param": "input_tokens", "code": 400}})
        temperature, top_p = float(req.get("temperature", 1.0)), float(req.get("top_p", 1.0))
        stops = set(req.get("stop_token_ids") or [])
        cid = f"cmpl-{uuid.uuid4().hex}"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def emit(obj):
            data = ("data: " + (obj if isinstance(obj, str) else json.dumps(obj)) + "\n\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        out, finish = [], "length"
        try:
            with lock, torch.inference_mode():
                x = torch.tensor([ids], device="cuda")
                past = None
                prev_text = ""
                for _ in range(max_tokens):
                    o = model(input_ids=x, past_key_values=past, use_cache=True)
                    past = o.past_key_values
                    nxt = sample(o.logits[0, -1], temperature, top_p)
                    if nxt in stops:
                        finish = "stop"
                        break
                    out.append(nxt)
                    text = tok.decode(out)
                    emit({"id": cid, "object": "text_completion", "created": int(time.time()), "model": MODEL_ID,
                          "choices": [{"index": 0, "text": text[len(prev_text):], "logprobs": None, "finish_reason": None}], "usage": None})
                    prev_text = text
                    x = torch.tensor([[nxt]], device="cuda")
            emit({"id": cid, "object": "text_completion", "created": int(time.time()), "model": MODEL_ID,
                  "choices": [{"index": 0, "text": "", "logprobs": None, "finish_reason": finish}], "usage": None})
            emit({"id": cid, "object": "text_completion", "created": int(time.time()), "model": MODEL_ID, "choices": [],
                  "usage": {"prompt_tokens": len(ids), "completion_tokens": len(out), "total_tokens": len(ids) + len(out)}})
            emit("[DONE]")
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away: generation stops with the loop


ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()
