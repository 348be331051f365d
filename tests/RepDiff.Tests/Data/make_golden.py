#!/usr/bin/python3
"""Writes the golden files the IO tests read, with numpy (Debian's python3-numpy), and golden.json:
what numpy says each file holds (shape, dtype name, values as float32, labels as strings), plus
statistics of the shared fixtures. Run once from this folder: /usr/bin/python3 make_golden.py
The outputs are committed, so CI needs no Python. Safetensors files are written byte by byte here
(the format is an 8-byte header length, a JSON header, then the raw little-endian data)."""

import json
import os
import struct
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "golden")
FIXTURES = os.path.join(HERE, "..", "Fixtures")
os.makedirs(OUT, exist_ok=True)
expected = {"files": {}, "labels": {}, "fixtures": {}}


def record(name, array, key=None, dtype=None):
    """What the C# reader must produce: the array as float32, n x d (1-D is one column); NaN as "nan"."""
    a = np.asarray(array)
    m = a.astype(np.float32).reshape(a.shape[0], -1 if a.size else 0 if a.ndim == 1 else int(np.prod(a.shape[1:])))
    expected["files"][name if key is None else f"{name}[{key}]"] = {
        "file": name, "key": key, "shape": list(a.shape), "dtype": dtype or a.dtype.name,
        "values": [[float(v) if np.isfinite(v) else str(v) for v in row] for row in m]}


def base(dtype):
    """A 5x3 matrix whose values every dtype holds exactly (negative only for signed types)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return (np.arange(15).reshape(5, 3) % 3 == 0).astype(dt)
    if dt.kind == "u":
        return (np.arange(15).reshape(5, 3) * 7 % 251).astype(dt)
    if dt.kind == "i":
        return (np.arange(15).reshape(5, 3) * 9 - 60).astype(dt)
    return (np.arange(15).reshape(5, 3) * 0.75 - 4.5).astype(dt)


def save_npy(name, array, version=None):
    with open(os.path.join(OUT, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)
    record(name, array)


# .npy: every numeric dtype, both byte orders, both memory orders, all three format versions, 1-D.
for code in ["f2", "f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
    save_npy(f"le_{code}.npy", base("<" + code if code not in ("i1", "u1", "b1") else code))
for code in ["f2", "f4", "f8", "i2", "i4", "i8", "u4"]:
    save_npy(f"be_{code}.npy", base(">" + code))
save_npy("fortran_f4.npy", np.asfortranarray(base("<f4")))
save_npy("fortran_be_f8.npy", np.asfortranarray(base(">f8")))
save_npy("v2_f4.npy", base("<f4"), version=(2, 0))
save_npy("v3_f4.npy", base("<f4"), version=(3, 0))
save_npy("vector_i8.npy", np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype="<i8"))
save_npy("wide_f4.npy", (np.arange(2 * 40).reshape(2, 40) / 8).astype("<f4"))  # header needs padding past 64 bytes
save_npy("empty_rows_f4.npy", np.zeros((0, 3), dtype="<f4"))
save_npy("nan_row2_f4.npy", np.where(np.arange(15).reshape(5, 3) == 7, np.nan, base("<f4")).astype("<f4"))

# Labels: numeric and string .npy (numpy writes str arrays as '<U…' UTF-32), and text.
labels_int = np.array([3, 1, 3, 0, 2], dtype="<i8")
labels_str = np.array(["cat", "dog", "cat", "bird ü", "emu"])
labels_float = np.array([0.5, 1.0, 0.5, -2.0, 3.0])
for name, arr in [("labels_i8.npy", labels_int), ("labels_str.npy", labels_str), ("labels_f8.npy", labels_float)]:
    np.save(os.path.join(OUT, name), arr)
    # integral floats read as integers ("1", not "1.0"), so class ids saved as floats look like class ids
    expected["labels"][name] = [str(v) if arr.dtype.kind == "U" else
                                str(int(v)) if float(v).is_integer() else repr(v.item()) for v in arr]
np.save(os.path.join(OUT, "labels_be_str.npy"), labels_str.astype(">U6"))
expected["labels"]["labels_be_str.npy"] = [str(v) for v in labels_str]

# .npz: stored (np.savez) with two arrays, deflated (np.savez_compressed) with one, and zip64 entries.
emb, lab = base("<f4"), labels_int
np.savez(os.path.join(OUT, "stored.npz"), emb=emb, labels=lab)
record("stored.npz", emb, "emb")
record("stored.npz", lab, "labels")
np.savez_compressed(os.path.join(OUT, "deflated.npz"), base("<f8"))  # numpy names it arr_0
record("deflated.npz", base("<f8"), "arr_0")
with zipfile.ZipFile(os.path.join(OUT, "zip64.npz"), "w", compression=zipfile.ZIP_DEFLATED) as z:
    with z.open("emb.npy", "w", force_zip64=True) as f:
        np.lib.format.write_array(f, base(">i4"))
record("zip64.npz", base(">i4"), "emb")


# .safetensors, by hand: tensors of every dtype, 8-byte aligned like the reference writer, plus metadata.
def bf16_bytes(a):
    bits = a.astype("<f4").view("<u4")
    return (bits >> 16).astype("<u2").tobytes()  # values are exact in bfloat16, so truncation is exact


def write_safetensors(name, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for key, (dtype, array, data) in tensors.items():
        header[key] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    for key, (dtype, array, _) in tensors.items():
        record(name, array, key, "bfloat16" if dtype == "BF16" else None)


st = {}
for dtype, np_dtype in [("F16", "<f2"), ("F32", "<f4"), ("F64", "<f8"), ("I8", "i1"), ("I16", "<i2"),
                        ("I32", "<i4"), ("I64", "<i8"), ("U8", "u1"), ("U16", "<u2"), ("U32", "<u4"),
                        ("U64", "<u8"), ("BOOL", "b1")]:
    a = base(np_dtype)
    st[dtype.lower()] = (dtype, a, a.tobytes())
st["bf16"] = ("BF16", base("<f4"), bf16_bytes(base("<f4")))
write_safetensors("all_dtypes.safetensors", st, metadata={"format": "pt"})
write_safetensors("single.safetensors", {"embeddings": ("F32", base("<f4"), base("<f4").tobytes())})

# .pt, in torch.save's layout (torch is not installed here, so its pickling is emulated with the same pickle
# module torch uses): a stored zip whose records sit under "<archive>/": data.pkl (protocol 2 unless given), each
# storage pickled as the persistent id ('storage', torch.<Kind>Storage, key, 'cpu', elements) and each tensor as
# torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict()); byteorder;
# data/<key>, the storage's raw bytes; version.
import collections
import io
import pickle
import sys
import types
import warnings

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"], sys.modules["torch._utils"], torch._utils = torch, torch_utils, torch_utils


def torch_function(name):
    def f(*args):
        raise NotImplementedError(name)
    f.__module__, f.__name__, f.__qualname__ = "torch._utils", name, name
    setattr(torch_utils, name, f)
    return f


rebuild_tensor_v2 = torch_function("_rebuild_tensor_v2")
rebuild_parameter = torch_function("_rebuild_parameter")
torch_tensor = types.ModuleType("torch._tensor")
sys.modules["torch._tensor"], torch._tensor = torch_tensor, torch_tensor
rebuild_from_type_v2 = torch_function("_rebuild_from_type_v2")
rebuild_from_type_v2.__module__ = "torch._tensor"
setattr(torch_tensor, "_rebuild_from_type_v2", rebuild_from_type_v2)
for kind in ["FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage"]:
    setattr(torch, kind, type(kind, (), {"__module__": "torch"}))


class Storage:
    def __init__(self, kind, data, elements):
        self.kind, self.data, self.elements = kind, data, elements


class Tensor:
    def __init__(self, storage, offset, shape, stride):
        self.storage, self.offset, self.shape, self.stride = storage, offset, tuple(shape), tuple(stride)

    def __reduce_ex__(self, protocol):
        return rebuild_tensor_v2, (self.storage, self.offset, self.shape, self.stride, False, collections.OrderedDict())


class WithAttributes(Tensor):
    """A tensor carrying Python attributes (t.note = ...), or of a subclass: torch pickles it through
    _rebuild_from_type_v2(_rebuild_tensor_v2, type(t), args, t.__dict__)."""
    def __init__(self, tensor, cls, state):
        super().__init__(tensor.storage, tensor.offset, tensor.shape, tensor.stride)
        self.cls, self.state = cls, state

    def __reduce_ex__(self, protocol):
        return rebuild_from_type_v2, (rebuild_tensor_v2, self.cls, Tensor.__reduce_ex__(self, protocol)[1], self.state)


torch.Tensor = type("Tensor", (), {"__module__": "torch"})
rebuild_tensor_v3 = torch_function("_rebuild_tensor_v3")
for kind in ["UntypedStorage", "uint16", "float8_e4m3fn"]:
    setattr(torch, kind, type(kind, (), {"__module__": "torch"}))


class Size(tuple):
    __module__ = "torch"

    def __reduce__(self):
        return Size, (tuple(self),)


torch.Size = Size


class TensorV3(Tensor):
    """A tensor of a dtype without a typed storage (uint16, ...): bytes in an UntypedStorage and its dtype beside them."""
    def __init__(self, storage, shape, dtype):
        super().__init__(storage, 0, shape, [int(np.prod(shape[k + 1:])) for k in range(len(shape))])
        self.dtype = dtype

    def __reduce_ex__(self, protocol):
        return rebuild_tensor_v3, (self.storage, self.offset, self.shape, self.stride, False, collections.OrderedDict(), self.dtype)
torch.Float8Tensor = type("Float8Tensor", (), {"__module__": "torch"})


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        return rebuild_parameter, (self.tensor, True, collections.OrderedDict())


TORCH_KINDS = {"<f4": "FloatStorage", "<f8": "DoubleStorage", "<f2": "HalfStorage", "<i8": "LongStorage"}


def storage_of(array, byteorder="little"):
    """A storage holding array's values, flat; float32 values as bfloat16 when kind is given as BFloat16Storage."""
    little = byteorder == "little"
    order = "<" if little else ">"
    return Storage(TORCH_KINDS[array.dtype.str], array.astype(array.dtype.newbyteorder(order)).tobytes(), array.size)


def contiguous(storage, shape):
    stride = [int(np.prod(shape[k + 1:])) for k in range(len(shape))]
    return Tensor(storage, 0, shape, stride)


def zip_write(z, name, data):
    """A record with a fixed timestamp, so running this script again leaves the files as they are."""
    z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=z.compression)


def save_pt(name, obj, archive=None, byteorder="little", protocol=2, edit=None, compression=zipfile.ZIP_STORED, location="cpu"):
    """edit, when given, rewrites the pickle's bytes: how files torch.save cannot write are made; location is the
    device the storages were on when saved."""
    storages = {}

    class Pickler(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, Storage):
                key = storages.setdefault(id(o), (str(len(storages)), o))[0]
                return ("storage", getattr(torch, o.kind), key, location, o.elements)
            return None

    data = io.BytesIO()
    Pickler(data, protocol=protocol).dump(obj)
    prefix = archive or name.rsplit(".", 1)[0]
    pkl = data.getvalue() if edit is None else edit(data.getvalue())
    with zipfile.ZipFile(os.path.join(OUT, name), "w", compression) as z:
        zip_write(z, prefix + "/data.pkl", pkl)
        zip_write(z, prefix + "/byteorder", byteorder)
        for key, storage in sorted(storages.values(), key=lambda s: s[0]):
            zip_write(z, f"{prefix}/data/{key}", storage.data)
        zip_write(z, prefix + "/version", "3\n")


# One tensor alone (torch.save(t)), also big-endian and at protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL).
a = base("<f4")
save_pt("tensor.pt", contiguous(storage_of(a), a.shape))
record("tensor.pt", a)
save_pt("big_endian.pt", contiguous(storage_of(a, "big"), a.shape), byteorder="big")
record("big_endian.pt", a)
save_pt("protocol4.pt", contiguous(storage_of(a), a.shape), archive="archive", protocol=4)
record("protocol4.pt", a)
# A tensor saved from the GPU: torch.load maps it to the CPU (map_location), as RepDiff reads it.
save_pt("cuda.pt", contiguous(storage_of(a), a.shape), location="cuda:0")
record("cuda.pt", a)

# A dict of tensors and other values, as people save embeddings: float16, bfloat16, a parameter of float64,
# integer labels, a nested dict of non-tensors and a list.
h, d, labels = base("<f2"), base("<f8"), np.arange(5, dtype="<i8")
bf16 = Storage("BFloat16Storage", bf16_bytes(a), a.size)
save_pt("dict.pt", collections.OrderedDict([
    ("embeddings", contiguous(storage_of(h), h.shape)),
    ("labels", contiguous(storage_of(labels), labels.shape)),
    ("meta", {"model": "dino", "epoch": 3, "lr": 1e-3, "done": True, "note": None}),
    ("layers", [contiguous(bf16, a.shape), Parameter(contiguous(storage_of(d), d.shape))]),
]))
record("dict.pt", h, "embeddings")
record("dict.pt", labels, "labels")
record("dict.pt", a, "layers.0", "bfloat16")
record("dict.pt", d, "layers.1")

# torch.save(model.state_dict()): an OrderedDict carrying the attribute _metadata (each submodule's version), which
# pickle writes as BUILD state after the items; torch.load sets it back, RepDiff reads only the tensors.
state_dict = collections.OrderedDict([
    ("encoder.weight", contiguous(storage_of(a), a.shape)),
    ("encoder.bias", contiguous(storage_of(a[0].copy()), (3,))),
])
state_dict._metadata = collections.OrderedDict([("", {"version": 1}), ("encoder", {"version": 1})])
save_pt("state_dict.pt", state_dict)
record("state_dict.pt", a, "encoder.weight")
record("state_dict.pt", a[0], "encoder.bias")

# Views: rows 1-5 of an 8 x 3 storage (offset 3), the transpose of a 3 x 5 matrix (column-major), and the
# whole 8 x 3 matrix, all three sharing storages as torch.save keeps them.
whole = (np.arange(24).reshape(8, 3) * 0.5 - 2).astype("<f4")
shared = storage_of(whole)
t = np.ascontiguousarray(a.T)
save_pt("views.pt", {
    "rows": Tensor(shared, 3, (5, 3), (3, 1)),
    "transposed": Tensor(storage_of(t), 0, (5, 3), (1, 5)),
    "whole": contiguous(shared, whole.shape),
})
record("views.pt", whole[1:6], "rows")
record("views.pt", t.T, "transposed")
record("views.pt", whole, "whole")

# Refused: a strided view (every other row), a pickle that would run os.system, the legacy format.
save_pt("strided.pt", Tensor(shared, 0, (4, 3), (6, 1)))
with zipfile.ZipFile(os.path.join(OUT, "os_system.pt"), "w", zipfile.ZIP_STORED) as z:
    zip_write(z, "os_system/data.pkl", b"\x80\x02cos\nsystem\nX\x07\x00\x00\x00echo hi\x85R.")
    zip_write(z, "os_system/byteorder", "little")
with open(os.path.join(OUT, "legacy.pt"), "wb") as f:
    pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)

# Read as torch.load reads them: bfloat16 written big-endian, uint16 (PyTorch 2.3's _rebuild_tensor_v3), torch.save(..., pickle_protocol=1) (bools and ints beyond 32 bits as decimal
# text), a tensor with Python attributes, and a dict setting one key twice (the second value counts, as in Python).
be_bf16 = Storage("BFloat16Storage", np.frombuffer(bf16_bytes(a), "<u2").astype(">u2").tobytes(), a.size)
save_pt("big_endian_bf16.pt", contiguous(be_bf16, a.shape), byteorder="big")
record("big_endian_bf16.pt", a, dtype="bfloat16")
u16 = (np.arange(15, dtype="<u2") * 4369).reshape(5, 3)
save_pt("uint16.pt", TensorV3(Storage("UntypedStorage", u16.tobytes(), u16.nbytes), u16.shape, torch.uint16))
record("uint16.pt", u16)
# Values beside the tensors that torch.load(weights_only=True) reads too: a torch.Size, bytes (protocol 2 pickles
# them as _codecs.encode, 3 and later as SHORT_BINBYTES), a defaultdict.
extras = {"e": contiguous(storage_of(a), a.shape), "shape": Size(a.shape), "raw": b"\x00\xff" * 200,
          "tag": b"v1", "counts": collections.defaultdict(list, {"a": [1]})}
for proto in (2, 4):
    save_pt(f"extras_protocol{proto}.pt", extras, protocol=proto)
    record(f"extras_protocol{proto}.pt", a, "e")
save_pt("protocol1.pt", {"e": contiguous(storage_of(a), a.shape), "step": 2 ** 40, "done": True}, protocol=1)
record("protocol1.pt", a, "e")
save_pt("attributes.pt", WithAttributes(contiguous(storage_of(a), a.shape), torch.Tensor, {"note": "pooled"}))
record("attributes.pt", a)
save_pt("duplicate_key.pt", collections.OrderedDict([("e", contiguous(storage_of(a), a.shape)), ("f", contiguous(storage_of(d), d.shape))]),
        edit=lambda p: p.replace(b"X\x01\x00\x00\x00f", b"X\x01\x00\x00\x00e"))
record("duplicate_key.pt", d, "e")

# Refused, each with one line: two tensors at one path, one storage as two dtypes, a storage of 2^62 values
# (2^64 bytes: zero in 64-bit arithmetic), a view at offset 2^63 - 5, a tensor subclass, a deflated data.pkl
# memoizing one value 2^23 times, and lists sharing lists 24 levels deep (2^24 paths).
save_pt("colliding_paths.pt", {"a.b": contiguous(storage_of(a), a.shape), "a": {"b": contiguous(storage_of(d), d.shape)}})
save_pt("two_dtypes.pt", {"x": contiguous(storage_of(a), a.shape), "y": contiguous(storage_of(d), d.shape)},
        edit=lambda p: p.replace(b"X\x01\x00\x00\x001", b"X\x01\x00\x00\x000"))
save_pt("huge_storage.pt", contiguous(Storage("FloatStorage", b"", 2 ** 62), (3, 4)))
save_pt("far_offset.pt", Tensor(storage_of(a), 2 ** 63 - 5, a.shape, (a.shape[1], 1)))
with zipfile.ZipFile(os.path.join(OUT, "two_records.pt"), "w", zipfile.ZIP_STORED) as z, warnings.catch_warnings():
    warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it is asked to write
    zip_write(z, "two_records/data.pkl", zipfile.ZipFile(os.path.join(OUT, "tensor.pt")).read("tensor/data.pkl"))
    zip_write(z, "two_records/data/0", a.tobytes())
    zip_write(z, "two_records/data/0", (a * 2).tobytes())
save_pt("float8.pt", TensorV3(Storage("UntypedStorage", bytes(15), 15), (5, 3), torch.float8_e4m3fn))
# A quantized checkpoint: float8 weights beside float32 ones, which are read.
save_pt("float8_beside.pt", {"e": contiguous(storage_of(a), a.shape), "w": TensorV3(Storage("UntypedStorage", bytes(15), 15), (5, 3), torch.float8_e4m3fn)})
record("float8_beside.pt", a, "e")
dict_attributes = collections.OrderedDict([("e", contiguous(storage_of(a), a.shape))])
dict_attributes.note = "not a state dict's _metadata"
save_pt("dict_attributes.pt", dict_attributes)
save_pt("subclass.pt", WithAttributes(contiguous(storage_of(a), a.shape), torch.Float8Tensor, {}))
save_pt("memo_bomb.pt", None, edit=lambda p: p[:-1] + b"\x94" * (1 << 23) + b".", compression=zipfile.ZIP_DEFLATED)
shared_lists = [contiguous(storage_of(a), a.shape)]
for _ in range(24):
    shared_lists = [shared_lists, shared_lists]
save_pt("shared_lists.pt", shared_lists)

# .csv/.tsv: header with an id column, no header, tab-separated, quoted ids.
values = base("<f4")
ids = [f"s{i}" for i in range(5)]
with open(os.path.join(OUT, "with_ids.csv"), "w") as f:
    f.write("id,x,y,z\n" + "".join(f"{i},{','.join(repr(float(v)) for v in row)}\n" for i, row in zip(ids, values)))
record("with_ids.csv", values)
expected["ids"] = {"with_ids.csv": ids}
np.savetxt(os.path.join(OUT, "plain.csv"), values, delimiter=",")
record("plain.csv", values)
np.savetxt(os.path.join(OUT, "plain.tsv"), values, delimiter="\t", header="a\tb\tc", comments="")
record("plain.tsv", values)
shuffled = [4, 2, 0, 3, 1]
with open(os.path.join(OUT, "shuffled_ids.csv"), "w") as f:
    f.write("x,\"sample id\"\n" + "".join(f"{float(values[i, 0])!r},\"s{i}\"\n" for i in shuffled))
expected["ids"]["shuffled_ids.csv"] = [f"s{i}" for i in shuffled]

# JSON Lines as embedding APIs and scripts write them: one json.dumps record per line, the vector as .tolist() (Python
# floats, written by repr: float32 values exactly, float64 ones to be rounded once to float32 as np.array(r, np.float32)
# rounds them), with a blank line, another field beside, a BOM-less UTF-8 id; what numpy reads back is saved beside each.
rng = np.random.default_rng(113)
f32 = rng.standard_normal((6, 4)).astype(np.float32)
f64 = rng.standard_normal((6, 4)) * 10.0 ** rng.integers(-46, 38, (6, 4))
jsonl_ids = [f"doc-{i}" for i in range(5)] + ["doc-ü"]
with open(os.path.join(OUT, "records_f32.jsonl"), "w") as f:
    for i in range(6):
        f.write(json.dumps({"id": jsonl_ids[i], "model": "m", "embedding": f32[i].tolist()}) + "\n" + ("\n" if i == 2 else ""))
with open(os.path.join(OUT, "records_f64.jsonl"), "w") as f:
    for i in range(6):
        f.write(json.dumps({"vector": f64[i].tolist(), "id": 10 * i}) + "\n")
with open(os.path.join(OUT, "lists.ndjson"), "w") as f:
    f.write("".join(json.dumps(row) + "\n" for row in f32.tolist()))
for name, field in [("records_f32.jsonl", "embedding"), ("records_f64.jsonl", "vector"), ("lists.ndjson", None)]:
    with open(os.path.join(OUT, name)) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    read = np.array([r[field] if field else r for r in rows], np.float32)
    np.save(os.path.join(OUT, name.rsplit(".", 1)[0] + "_read.npy"), read)
    record(name, read)
expected["ids"]["records_f32.jsonl"] = jsonl_ids
expected["ids"]["records_f64.jsonl"] = [str(10 * i) for i in range(6)]

# Ids kept inside the embedding file: an .npz with a unicode and one with an integer array of ids beside the
# embeddings, a .pt with a list of strings and one with an integer tensor.
np.savez(os.path.join(OUT, "ids_str.npz"), emb=f32, ids=np.array(jsonl_ids))
np.savez(os.path.join(OUT, "ids_int.npz"), id=np.arange(6, dtype="<i8") * 10, emb=f32)
record("ids_str.npz", f32, "emb")
record("ids_int.npz", f32, "emb")
save_pt("ids_list.pt", collections.OrderedDict([("embeddings", contiguous(storage_of(f32), f32.shape)), ("ids", jsonl_ids)]))
int_ids = np.arange(6, dtype="<i8") * 10
save_pt("ids_tensor.pt", {"emb": contiguous(storage_of(f32), f32.shape), "ids": contiguous(storage_of(int_ids), int_ids.shape)})
record("ids_list.pt", f32, "embeddings")
record("ids_tensor.pt", f32, "emb")
expected["ids"]["ids_str.npz"] = expected["ids"]["ids_list.pt"] = jsonl_ids
expected["ids"]["ids_int.npz"] = expected["ids"]["ids_tensor.pt"] = [str(v) for v in int_ids]

# The shared fixtures: what numpy reads from them.
for name in sorted(os.listdir(FIXTURES)):
    if not name.endswith(".npy"):
        continue
    a = np.load(os.path.join(FIXTURES, name))
    m = a.reshape(a.shape[0], -1).astype(np.float32)
    expected["fixtures"][name] = {
        "shape": list(a.shape), "dtype": a.dtype.name,
        "mean": float(m.astype(np.float64).mean()),
        "first": float(m[0, 0]), "last": float(m[-1, -1]), "middle": float(m[m.shape[0] // 2, m.shape[1] // 2])}

# What `repdiff inspect --json` must print: mean of the finite values, mean over rows of the norm of
# each row's finite values, NaN and Inf counts.
expected["inspect"] = {}
for name in ["le_f4.npy", "nan_row2_f4.npy", "be_i8.npy"]:
    m = np.load(os.path.join(OUT, name)).astype(np.float64)
    finite = np.isfinite(m)
    expected["inspect"][name] = {
        "shape": list(m.shape), "dtype": np.load(os.path.join(OUT, name)).dtype.name,
        "mean": float(m[finite].mean()),
        "mean_row_norm": float(np.sqrt((np.where(finite, m, 0) ** 2).sum(axis=1)).mean()),
        "nan": int(np.isnan(m).sum()), "inf": int(np.isinf(m).sum())}

with open(os.path.join(HERE, "golden.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
