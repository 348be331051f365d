using System.IO.Compression;
using System.Text;

namespace RepDiff.Tests.IO;

/// <summary>
/// A torch.save file written opcode by opcode: a dict of float32 matrices at the storage offsets given (torch.save never
/// writes a negative one); tensors given one float[] view one storage, and records are deflated when asked (torch stores them).
/// </summary>
internal static class HandTorch
{
    public static void Save(string path, params (string Key, float[] Storage, int Offset, int Rows, int Cols)[] tensors) => Save(path, false, tensors);

    public static void Save(string path, bool deflate, params (string Key, float[] Storage, int Offset, int Rows, int Cols)[] tensors)
    {
        var storages = new List<float[]>();
        var pickle = new List<byte> { 0x80, 2, (byte)'}', (byte)'(' };
        for (int i = 0; i < tensors.Length; i++)
        {
            var (key, storage, offset, rows, cols) = tensors[i];
            int id = storages.FindIndex(known => ReferenceEquals(known, storage));
            if (id < 0) { id = storages.Count; storages.Add(storage); }
            Text(pickle, key);
            Tensor(pickle, id, storage.Length, offset, rows, cols);
        }
        pickle.AddRange("u."u8.ToArray());
        Write(path, deflate, pickle, storages);
    }

    /// <summary>torch.save({name: vector, …}): one 1-D float32 tensor per sample, each on a storage of its own.</summary>
    public static void SaveVectors(string path, params (string Key, float[] Values)[] vectors)
    {
        var pickle = new List<byte> { 0x80, 2, (byte)'}', (byte)'(' };
        for (int i = 0; i < vectors.Length; i++)
        {
            Text(pickle, vectors[i].Key);
            Tensor(pickle, i, vectors[i].Values.Length, 0, [vectors[i].Values.Length]);
        }
        pickle.AddRange("u."u8.ToArray());
        Write(path, false, pickle, vectors.Select(v => v.Values).ToList());
    }

    /// <summary>
    /// {"a": d, "b": d} around {"a": d', "b": d'} … around {"t": tensor}, each inner dict pickled once and then fetched from
    /// the memo, as pickle writes an object referenced twice: a few hundred bytes whose paths double with every level.
    /// </summary>
    public static void SaveSharedDicts(string path, int depth, float[] storage, int rows, int cols)
    {
        var pickle = new List<byte> { 0x80, 2 };
        void Level(int level)
        {
            pickle.AddRange("}("u8.ToArray());
            if (level == 0)
            {
                Text(pickle, "t");
                Tensor(pickle, 0, storage.Length, 0, rows, cols);
            }
            else
            {
                Text(pickle, "a");
                Level(level - 1);
                pickle.Add((byte)'q'); pickle.Add((byte)level);   // BINPUT: remember the inner dict
                Text(pickle, "b");
                pickle.Add((byte)'h'); pickle.Add((byte)level);   // BINGET: the same dict again
            }
            pickle.Add((byte)'u');
        }
        Level(depth);
        pickle.Add((byte)'.');
        Write(path, false, pickle, [storage]);
    }

    private static void Text(List<byte> pickle, string s)
    {
        pickle.Add((byte)'X');
        pickle.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(s)));
        pickle.AddRange(Encoding.UTF8.GetBytes(s));
    }

    /// <summary>_rebuild_tensor_v2 of a row-major rows × cols view of storage `id` at `offset`.</summary>
    private static void Tensor(List<byte> pickle, int id, int storageLength, int offset, int rows, int cols) =>
        Tensor(pickle, id, storageLength, offset, [rows, cols]);

    /// <summary>_rebuild_tensor_v2 of a row-major view of storage `id` at `offset`, of any shape.</summary>
    private static void Tensor(List<byte> pickle, int id, int storageLength, int offset, int[] shape)
    {
        void Int(int v) { pickle.Add((byte)'J'); pickle.AddRange(BitConverter.GetBytes(v)); }
        void Global(string module, string name) { pickle.Add((byte)'c'); pickle.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        Global("torch._utils", "_rebuild_tensor_v2");
        pickle.Add((byte)'(');
        pickle.Add((byte)'('); Text(pickle, "storage"); Global("torch", "FloatStorage"); Text(pickle, $"{id}"); Text(pickle, "cpu"); Int(storageLength); pickle.Add((byte)'t'); pickle.Add((byte)'Q');
        Int(offset);
        pickle.Add((byte)'('); foreach (int size in shape) Int(size); pickle.Add((byte)'t');
        pickle.Add((byte)'('); for (int axis = 0; axis < shape.Length; axis++) Int(shape.Skip(axis + 1).Aggregate(1, (a, b) => a * b)); pickle.Add((byte)'t');
        pickle.Add(0x89);
        Global("collections", "OrderedDict"); pickle.Add((byte)')'); pickle.Add((byte)'R');
        pickle.Add((byte)'t'); pickle.Add((byte)'R');
    }

    private static void Write(string path, bool deflate, List<byte> pickle, List<float[]> storages)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Record(string name, byte[] data)
        {
            using var s = zip.CreateEntry(name, deflate ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
            s.Write(data);
        }
        Record("x/data.pkl", [.. pickle]);
        for (int i = 0; i < storages.Count; i++)
            Record($"x/data/{i}", System.Runtime.InteropServices.MemoryMarshal.AsBytes(storages[i].AsSpan()).ToArray());
    }
}
