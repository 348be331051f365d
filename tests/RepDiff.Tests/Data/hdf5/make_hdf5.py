"""Writes the HDF5 files of tests/RepDiff.Tests/IO/Hdf5Tests.cs with h5py (libhdf5), as researchers' feature caches
are written. Run once by hand (Debian: python3-h5py); the files are committed and the tests never need h5py.
Row i, column j holds i + j/8 (exact in float16 and every integer type used)."""
import h5py
import numpy as np

rows = np.array([[i + j / 8 for j in range(3)] for i in range(10)])

with h5py.File("contiguous.h5", "w") as f:
    f["features"] = rows.astype(np.float32)
with h5py.File("gzip_groups.h5", "w") as f:
    f.create_dataset("emb/feats", data=rows, chunks=(4, 3), compression="gzip", shuffle=True)
    f["emb/labels"] = np.arange(10)
    f["paths"] = np.array([b"img%d.jpg" % i for i in range(10)])
with h5py.File("float16.h5", "w") as f:
    f["x"] = rows.astype(np.float16)
with h5py.File("uint8.h5", "w") as f:
    f["x"] = (rows * 8).astype(np.uint8)
with h5py.File("resizable_latest.h5", "w", libver="latest") as f:
    d = f.create_dataset("x", shape=(0, 3), maxshape=(None, 3), chunks=(3, 3), dtype="f4", fletcher32=True)
    d.resize((10, 3))
    d[:] = rows
with h5py.File("lzf.h5", "w") as f:
    f.create_dataset("x", data=rows.astype(np.float32), chunks=(5, 3), compression="lzf")
with h5py.File("big_endian.h5", "w") as f:
    f["x"] = rows.astype(">f4")
with h5py.File("three_d.h5", "w") as f:
    f["x"] = np.zeros((2, 3, 4), np.float32)
with h5py.File("nan.h5", "w") as f:
    bad = rows.astype(np.float32)
    bad[4, 1] = np.nan
    f["x"] = bad
with h5py.File("no_datasets.h5", "w") as f:
    f.create_group("empty")
with h5py.File("unwritten.h5", "w") as f:
    # 10^8 x 768 declared, no chunk ever written: HDF5 would read 307 GB of fill values.
    f.create_dataset("x", shape=(10**8, 768), chunks=(1024, 768), dtype="f4")
with h5py.File("virtual.h5", "w") as f:
    # Values in another file (absent here): HDF5 would read fill values.
    layout = h5py.VirtualLayout(shape=(10, 3), dtype="f4")
    layout[:] = h5py.VirtualSource("absent_source.h5", "x", shape=(10, 3))
    f.create_virtual_dataset("x", layout)
with h5py.File("ragged.h5", "w") as f:
    d = f.create_dataset("x", shape=(3,), dtype=h5py.vlen_dtype("f4"))
    d[0], d[1], d[2] = [1.0], [1.0, 2.0], [3.0]
with h5py.File("empty_dataspace.h5", "w") as f:
    f["x"] = h5py.Empty("f4")
with h5py.File("self_soft_link.h5", "w") as f:
    # A soft link to itself, beside a dataset: PureHDF follows it until the stack runs low (Hdf5.StackGuardStream).
    f["x"] = rows.astype(np.float32)
    f["loop"] = h5py.SoftLink("/loop")
with h5py.File("link_cycles.h5", "w") as f:
    # Two links that point at each other, one inside a group that points at itself, and one that leads nowhere.
    f["emb/x"] = rows.astype(np.float32)
    f["a"] = h5py.SoftLink("/b")
    f["b"] = h5py.SoftLink("/a")
    f["emb/self"] = h5py.SoftLink("/emb/self")
    f["gone"] = h5py.SoftLink("/nowhere")
with h5py.File("fletcher_narrow.h5", "w") as f:
    # Fletcher-32 on chunks narrower than a row (as h5py's default chunks of a wide dataset are): a block of rows needs
    # several chunks at once, which PureHDF's own filter read from one reused buffer (Hdf5.CopyingFletcher32).
    f.create_dataset("x", data=rows.astype(np.float32), chunks=(3, 2), fletcher32=True)
with h5py.File("fletcher_damaged.h5", "w") as f:
    d = f.create_dataset("x", data=rows.astype(np.float32), chunks=(5, 3), fletcher32=True)
    damaged_at = d.id.get_chunk_info(1).byte_offset + 2
with open("fletcher_damaged.h5", "r+b") as f:
    f.seek(damaged_at)
    byte = f.read(1)
    f.seek(damaged_at)
    f.write(bytes([byte[0] ^ 0x40]))
with h5py.File("int12.h5", "w") as f:
    # int32 of 12 significant bits (h5t set_precision): stored with zero padding above bit 11, not sign-extended.
    t = h5py.h5t.NATIVE_INT32.copy()
    t.set_precision(12)
    plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    plist.set_chunk((3, 2))
    d = h5py.h5d.create(f.id, b"x", t, h5py.h5s.create_simple((10, 3)), plist)
    d.write(h5py.h5s.ALL, h5py.h5s.ALL, (rows * -8).astype(np.int32))
