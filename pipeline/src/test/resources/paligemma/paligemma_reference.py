#!/usr/bin/python3
"""PaliGemma 1/2 forward pass in plain PyTorch ops, written from spec/MODELS.md §1.2, §1.4, §2.1 and §3
(not transformers): SigLIP, the linear projector, the Gemma 1/2 decoder with the prefix-LM mask.

usage: paligemma_reference.py DIR PIXELS.f32 IDS.txt PREFIX_LEN OUT.f32 [--causal]

PIXELS.f32: the preprocessed image, float32 [3, S, S] raw little-endian. IDS.txt: the whole sequence,
one id per line (image placeholders first). Writes the logits of every position, float32 [T, rows].
--causal replaces the prefix-LM mask by a plain causal one (to show that the mask matters).
Weights are read from model.safetensors or the shards of model.safetensors.index.json, widened to
float32; everything is computed in float32.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        raw = data[b:e]
        if t["dtype"] == "F32":
            a = np.frombuffer(raw, dtype="<f4").copy()
        elif t["dtype"] == "F16":
            a = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif t["dtype"] == "BF16":
            a = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit("dtype " + t["dtype"])
        out[name] = torch.from_numpy(a.reshape(t["shape"]))
    return out


def load_weights(d):
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        w = {}
        for shard in sorted(set(json.load(open(index))["weight_map"].values())):
            w.update(read_safetensors(os.path.join(d, shard)))
        return w
    return read_safetensors(os.path.join(d, "model.safetensors"))


def gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def rms_norm(x, w, eps):
    # Gemma: x / rms(x) * (1 + w)
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * (1 + w)


def rope(x, pos, base):
    # rotate-half (NEOX): dimension i pairs with i + d/2, freq_i = base^(-2i/d)
    d = x.shape[-1]
    freq = base ** (-torch.arange(0, d // 2, dtype=torch.float64) * 2 / d)
    ang = pos.to(torch.float64)[:, None] * freq[None, :]
    cos = torch.cos(ang).to(torch.float32)[:, None, :]
    sin = torch.sin(ang).to(torch.float32)[:, None, :]
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


def siglip(w, v, pixels):
    p = "vision_tower.vision_model."
    eps = v.get("layer_norm_eps", 1e-6)
    D = v["hidden_size"]
    H = v["num_attention_heads"]
    hd = D // H
    x = torch.nn.functional.conv2d(pixels[None], w[p + "embeddings.patch_embedding.weight"],
                                   w[p + "embeddings.patch_embedding.bias"], stride=v["patch_size"])
    x = x.flatten(2).transpose(1, 2)[0]  # [N, D], patches row-major
    x = x + w[p + "embeddings.position_embedding.weight"]
    N = x.shape[0]
    for i in range(v["num_hidden_layers"]):
        q = p + "encoder.layers.%d." % i
        h = torch.nn.functional.layer_norm(x, (D,), w[q + "layer_norm1.weight"], w[q + "layer_norm1.bias"], eps)
        lin = lambda name, t: t @ w[q + name + ".weight"].T + w[q + name + ".bias"]
        qq = lin("self_attn.q_proj", h).view(N, H, hd).transpose(0, 1)
        kk = lin("self_attn.k_proj", h).view(N, H, hd).transpose(0, 1)
        vv = lin("self_attn.v_proj", h).view(N, H, hd).transpose(0, 1)
        a = torch.softmax(qq @ kk.transpose(1, 2) / math.sqrt(hd), dim=-1) @ vv
        x = x + lin("self_attn.out_proj", a.transpose(0, 1).reshape(N, D))
        h = torch.nn.functional.layer_norm(x, (D,), w[q + "layer_norm2.weight"], w[q + "layer_norm2.bias"], eps)
        x = x + lin("mlp.fc2", gelu_tanh(lin("mlp.fc1", h)))
    x = torch.nn.functional.layer_norm(x, (D,), w[p + "post_layernorm.weight"], w[p + "post_layernorm.bias"], eps)
    return x @ w["multi_modal_projector.linear.weight"].T + w["multi_modal_projector.linear.bias"]


def main():
    d, pixels_path, ids_path, prefix_len, out_path = sys.argv[1:6]
    causal = "--causal" in sys.argv[6:]
    prefix_len = int(prefix_len)
    cfg = json.load(open(os.path.join(d, "config.json")))
    t = cfg["text_config"]
    v = cfg["vision_config"]
    gemma2 = t["model_type"] == "gemma2"
    w = load_weights(d)
    S = v["image_size"]
    pixels = torch.from_numpy(np.fromfile(pixels_path, dtype="<f4").reshape(3, S, S))
    ids = torch.tensor([int(l) for l in open(ids_path).read().split()])
    T = len(ids)
    hidden = t["hidden_size"]
    image = siglip(w, v, pixels)  # [tokens, hidden]
    lp = "language_model.model."
    E = w[lp + "embed_tokens.weight"]
    x = E[ids].clone()
    placeholders = (ids == cfg["image_token_index"]).nonzero()[:, 0]
    # HF divides the image features by sqrt(hidden) and then scales every row by sqrt(hidden):
    # the image rows enter unscaled (spec/MODELS.md §3)
    x[placeholders] = image / (hidden ** 0.5)
    x = x * torch.tensor(hidden ** 0.5, dtype=torch.float32)
    pos = torch.arange(T) + 1  # HF: PaliGemma positions are 1-indexed
    H, KV, hd = t["num_attention_heads"], t["num_key_value_heads"], t["head_dim"]
    eps = t["rms_norm_eps"]
    scale = (t["query_pre_attn_scalar"] if gemma2 else hd) ** -0.5
    qi = torch.arange(T)[:, None]
    ki = torch.arange(T)[None, :]
    # big_vision make_attn_mask: i sees j iff cumsum(mask_ar)[j] <= cumsum(mask_ar)[i]; mask_ar = 0 on the prefix
    mask_ar = torch.tensor([0] * prefix_len + [1] * (T - prefix_len))
    cum = torch.cumsum(mask_ar, 0)
    prefix_lm = cum[None, :] <= cum[:, None]
    if causal:
        prefix_lm = ki <= qi
    for i in range(t["num_hidden_layers"]):
        q = lp + "layers.%d." % i
        local = gemma2 and i % 2 == 0
        if local:
            # HF or-mask (spec/MODELS.md §1.3): (causal and inside the window) or both in the prefix
            both_prefix = (qi < prefix_len) & (ki < prefix_len) & (not causal)
            mask = ((ki <= qi) & (qi - ki < t["sliding_window"])) | both_prefix
        else:
            mask = prefix_lm
        r = x
        h = rms_norm(x, w[q + "input_layernorm.weight"], eps)
        qq = (h @ w[q + "self_attn.q_proj.weight"].T).view(T, H, hd)
        kk = (h @ w[q + "self_attn.k_proj.weight"].T).view(T, KV, hd)
        vv = (h @ w[q + "self_attn.v_proj.weight"].T).view(T, KV, hd)
        base = t.get("rope_theta", 10000.0)
        qq = rope(qq, pos, base)
        kk = rope(kk, pos, base)
        kk = kk.repeat_interleave(H // KV, dim=1)
        vv = vv.repeat_interleave(H // KV, dim=1)
        s = torch.einsum("qhd,khd->hqk", qq * scale, kk)
        if gemma2 and t.get("attn_logit_softcapping"):
            c = t["attn_logit_softcapping"]
            s = c * torch.tanh(s / c)
        s = s.masked_fill(~mask[None], float("-inf"))
        a = torch.einsum("hqk,khd->qhd", torch.softmax(s, dim=-1), vv).reshape(T, H * hd)
        a = a @ w[q + "self_attn.o_proj.weight"].T
        if gemma2:
            a = rms_norm(a, w[q + "post_attention_layernorm.weight"], eps)
        x = r + a
        h = rms_norm(x, w[q + ("pre_feedforward_layernorm.weight" if gemma2 else "post_attention_layernorm.weight")],
                     eps)
        m = (gelu_tanh(h @ w[q + "mlp.gate_proj.weight"].T) * (h @ w[q + "mlp.up_proj.weight"].T)) \
            @ w[q + "mlp.down_proj.weight"].T
        if gemma2:
            m = rms_norm(m, w[q + "post_feedforward_layernorm.weight"], eps)
        x = x + m
    x = rms_norm(x, w[lp + "norm.weight"], eps)
    logits = x @ E.T
    if gemma2 and t.get("final_logit_softcapping"):
        c = t["final_logit_softcapping"]
        logits = c * torch.tanh(logits / c)
    logits.numpy().astype("<f4").tofile(out_path)
    print(T, logits.shape[1])


if __name__ == "__main__":
    with torch.no_grad():
        main()
