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
        void Text(string s) { pickle.Add((byte)'X'); pickle.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(s))); pickle.AddRange(Encoding.UTF8.GetBytes(s)); }
        void Int(int v) { pickle.Add((byte)'J'); pickle.AddRange(BitConverter.GetBytes(v)); }
        void Global(string module, string name) { pickle.Add((byte)'c'); pickle.AddRange(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        for (int i = 0; i < tensors.Length; i++)
        {
            var (key, storage, offset, rows, cols) = tensors[i];
            int id = storages.FindIndex(known => ReferenceEquals(known, storage));
            if (id < 0) { id = storages.Count; storages.Add(storage); }
            Text(key);
            Global("torch._utils", "_rebuild_tensor_v2");
            pickle.Add((byte)'(');
            pickle.Add((byte)'('); Text("storage"); Global("torch", "FloatStorage"); Text($"{id}"); Text("cpu"); Int(storage.Length); pickle.Add((byte)'t'); pickle.Add((byte)'Q');
            Int(offset);
            pickle.Add((byte)'('); Int(rows); Int(cols); pickle.Add((byte)'t');
            pickle.Add((byte)'('); Int(cols); Int(1); pickle.Add((byte)'t');
            pickle.Add(0x89);
            Global("collections", "OrderedDict"); pickle.Add((byte)')'); pickle.Add((byte)'R');
            pickle.Add((byte)'t'); pickle.Add((byte)'R');
        }
        pickle.AddRange("u."u8.ToArray());
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
