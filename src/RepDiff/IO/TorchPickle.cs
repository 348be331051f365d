using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace RepDiff.IO;

/// <summary>
/// Reads the data.pkl of a torch.save archive without running anything: a pickle machine that knows only the
/// opcodes torch.save writes (protocols 1–5) and builds plain values — None, bool, int, float, str, bytes, lists, tuples
/// (as object?[]), dicts (<see cref="PickleDict"/>) and tensors (<see cref="TorchTensor"/>). Any other Python
/// object is refused by name, where Python's pickle would import and call it (what makes torch.load unsafe).
/// </summary>
internal sealed class TorchPickle
{
    /// <summary>
    /// A dict or OrderedDict, in insertion order. Setting a key it already holds replaces that value in place, as
    /// Python's dict does (so a pickle that sets "w" twice means its second value, as torch.load gives).
    /// </summary>
    internal sealed class PickleDict : IEnumerable<KeyValuePair<object, object?>>
    {
        private readonly List<KeyValuePair<object, object?>> items = [];
        private readonly Dictionary<object, int> index = [];

        public int Count => items.Count;

        public void Set(object key, object? value)
        {
            if (index.TryGetValue(Hashed(key), out int at)) items[at] = new(items[at].Key, value);
            else
            {
                index[Hashed(key)] = items.Count;
                items.Add(new(key, value));
            }
        }

        // Python's True == 1 == 1.0 name one entry; tuples and other keys are never walked, so they stay apart.
        private static object Hashed(object key) => key switch
        {
            bool b => b ? 1L : 0L,
            double d when d == Math.Floor(d) && Math.Abs(d) < 9e18 => (long)d,
            _ => key,
        };

        public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() => items.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>One storage of the archive: entry data/<see cref="Key"/>, <see cref="Elements"/> values of <see cref="Dtype"/>.</summary>
    internal sealed record TorchStorage(string Key, NpyDtype Dtype, long Elements);

    /// <summary>A view of a storage; <see cref="UnreadDtype"/> names a dtype RepDiff does not read (its storage then holds bytes).</summary>
    internal sealed record TorchTensor(TorchStorage Storage, long Offset, long[] Shape, long[] Stride)
    {
        public string? UnreadDtype { get; init; }
    }

    /// <summary>Why a tensor of a dtype RepDiff does not read (torch.float8_e4m3fn, a complex type) is refused when it is chosen.</summary>
    internal static string UnreadDtypeProblem(string dtype) => $"data.pkl holds a tensor of {dtype} (float32/64/16, bfloat16, integer and bool tensors are read)";

    /// <summary>A module-level name a GLOBAL opcode pushed; only what <see cref="Reduce"/> knows is ever applied.</summary>
    private sealed record Global(string Module, string Name)
    {
        public override string ToString() => $"{Module}.{Name}";
    }

    private sealed class Mark;

    private static readonly Mark MarkObject = new();
    private const int MaxDepth = 1 << 16;

    /// <summary>
    /// Values pushed and memoized in all: a tensor costs about 40, so this is some 200,000 tensors. It bounds the memory
    /// a small file can claim: a deflated data.pkl of repeated MEMOIZE opcodes would otherwise fill gigabytes.
    /// </summary>
    internal const int MaxValues = 1 << 23;

    private readonly byte[] data;
    private readonly string name;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private readonly Dictionary<string, TorchStorage> storages = [];
    private int position;
    private int values;

    private TorchPickle(byte[] data, string name) => (this.data, this.name) = (data, name);

    /// <summary>The object data.pkl holds; <paramref name="name"/> names the archive in errors.</summary>
    public static object? Load(byte[] data, string name) => new TorchPickle(data, name).Run();

    private RepDiffInputException Refuse(string problem) => RepDiffInputException.ForFile(name, $"data.pkl {problem}");

    private object? Run()
    {
        while (true)
        {
            byte op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break;                                   // PROTO
                case 0x95: Bytes(8); break;                                 // FRAME: a length hint
                case (byte)'.':                                              // STOP
                    if (stack.Count != 1 || marks.Count > 0) throw Refuse("is malformed (the stack does not hold one object at its end)");
                    return stack[0];
                case (byte)'(': marks.Push(stack.Count); Push(MarkObject); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;
                case 0x8a: Push(Long(Byte())); break;                       // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;
                case (byte)'X': Push(Text(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break;
                case 0x8c: Push(Text(Byte())); break;                       // SHORT_BINUNICODE
                case 0x8d: Push(Text(Length(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8))))); break;
                // bytes (protocol 3 and later): SHORT_BINBYTES, BINBYTES, BINBYTES8; kept as a value, never walked.
                case (byte)'C': Push(Bytes(Byte()).ToArray()); break;
                case (byte)'B': Push(Bytes(Length(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))).ToArray()); break;
                case 0x8e: Push(Bytes(Length(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8)))).ToArray()); break;
                case (byte)'c': Push(new Global(Line(), Line())); break;    // GLOBAL "module\nname\n"
                // INT and LONG in decimal text: what protocol 1 (torch.save(..., pickle_protocol=1)) writes for bools and ints beyond 32 bits.
                case (byte)'I': Push(Line() switch { "00" => false, "01" => true, var text => Decimal(text) }); break;
                case (byte)'L': Push(Decimal(Line().TrimEnd('L'))); break;
                case 0x93:                                                   // STACK_GLOBAL
                {
                    string global = Pop() as string ?? throw Refuse("is malformed (STACK_GLOBAL without a name)");
                    string module = Pop() as string ?? throw Refuse("is malformed (STACK_GLOBAL without a module)");
                    Push(new Global(module, global));
                    break;
                }
                case (byte)'q': Remember(Byte()); break;                    // BINPUT
                case (byte)'r': Remember(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))); break;
                case 0x94: Remember(memo.Count); break;                     // MEMOIZE
                case (byte)'h': Push(Memo(Byte())); break;                  // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'t': Push(PopToMark().ToArray()); break;
                case 0x85: Push(PopMany(1)); break;
                case 0x86: Push(PopMany(2)); break;
                case 0x87: Push(PopMany(3)); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)'l': Push(PopToMark()); break;
                case (byte)'a': { var item = Pop(); ListOnTop().Add(item); break; }
                case (byte)'e': { var items = PopToMark(); ListOnTop().AddRange(items); break; }
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)'d': { var dict = new PickleDict(); AddPairs(dict, PopToMark()); Push(dict); break; }
                case (byte)'s': { var value = Pop(); var key = Pop(); AddPairs(DictOnTop(), [key, value]); break; }
                case (byte)'u': { var items = PopToMark(); AddPairs(DictOnTop(), items); break; }
                case (byte)'Q': Push(Storage(Pop())); break;                // BINPERSID
                case (byte)'R':                                              // REDUCE
                {
                    var args = Pop() as object?[] ?? throw Refuse("is malformed (REDUCE without an argument tuple)");
                    Push(Reduce(Pop(), args));
                    break;
                }
                case (byte)'b':                                              // BUILD: state set on an object
                {
                    var state = Pop();
                    // An OrderedDict or a tensor with no extra state, or a state dict's module versions; anything else
                    // carries attributes RepDiff would drop.
                    if (state is not null && !(state is PickleDict { Count: 0 }) && !(state is object?[] { Length: 0 })
                        && !IsStateDictMetadata(Top(), state))
                        throw Refuse($"sets state on a {Describe(Top())}, which RepDiff does not read");
                    break;
                }
                default:
                    throw Refuse($"uses pickle opcode 0x{op:x2} at byte {position - 1}, which torch.save does not write for tensors, lists and dicts; "
                        + "save the embeddings alone (torch.save(tensor) or a dict of tensors), or as .npy or .safetensors");
            }
        }
    }

    /// <summary>
    /// Whether BUILD sets only `_metadata` on a dict: what `module.state_dict()` carries (each submodule's version, for
    /// load_state_dict), so every torch.save(model.state_dict()) has it. It holds no tensors and is not embeddings.
    /// </summary>
    private static bool IsStateDictMetadata(object? target, object state) =>
        target is PickleDict && state is PickleDict { Count: 1 } attributes && attributes.Single().Key is "_metadata";

    /// <summary>What a REDUCE of a known callable builds; any other callable is refused, never called.</summary>
    private object? Reduce(object? callable, object?[] args)
    {
        switch (callable)
        {
            // _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, backward_hooks[, metadata]), and the older form without the last ones.
            case Global { Module: "torch._utils", Name: "_rebuild_tensor_v2" or "_rebuild_tensor" } when args.Length >= 4:
                return new TorchTensor(
                    args[0] as TorchStorage ?? throw Refuse("rebuilds a tensor without a storage"),
                    args[1] as long? ?? throw Refuse("rebuilds a tensor without a storage offset"),
                    Integers(args[2], "size"), Integers(args[3], "stride"));
            // The dtypes without a typed storage (uint16, uint32, uint64; PyTorch 2.3 and later): an UntypedStorage of bytes
            // and _rebuild_tensor_v3(storage, offset, size, stride, requires_grad, backward_hooks, dtype[, metadata]).
            case Global { Module: "torch._utils", Name: "_rebuild_tensor_v3" } when args.Length >= 7:
            {
                var bytes = args[0] as TorchStorage ?? throw Refuse("rebuilds a tensor without a storage");
                var type = args[6] is Global { Module: "torch" } torchType ? torchType : throw Refuse("rebuilds a tensor without a dtype");
                long offset = args[1] as long? ?? throw Refuse("rebuilds a tensor without a storage offset");
                // A dtype RepDiff does not read (the float8 weights of a quantized checkpoint) is refused when its tensor is
                // chosen, not for the whole file: the file's other tensors are read and `inspect` lists it with why.
                if (TensorDtype(type.Name) is not { } dtype)
                    return new TorchTensor(bytes, offset, Integers(args[2], "size"), Integers(args[3], "stride")) { UnreadDtype = $"torch.{NpyDtype.Truncate(type.Name)}" };
                long total = bytes.Elements * bytes.Dtype.Size;
                if (total % dtype.Size != 0)
                    throw Refuse($"rebuilds a {dtype.Name} tensor over storage data/{NpyDtype.Truncate(bytes.Key)} of {total} bytes, not a whole number of values");
                return new TorchTensor(bytes with { Dtype = dtype, Elements = total / dtype.Size }, offset,
                    Integers(args[2], "size"), Integers(args[3], "stride"));
            }
            // nn.Parameter(tensor): the tensor is what is wanted.
            case Global { Module: "torch._utils", Name: "_rebuild_parameter" or "_rebuild_parameter_with_state" } when args.Length >= 1 && args[0] is TorchTensor tensor:
                return tensor;
            // A plain tensor that carried Python attributes (t.note = ...): _rebuild_from_type_v2(func, torch.Tensor, args, state).
            // The attributes are dropped; a subclass is refused, since its own state may change what the values mean.
            case Global { Module: "torch._tensor", Name: "_rebuild_from_type_v2" } when args.Length >= 3 && args[0] is Global inner && args[2] is object?[] innerArgs:
                if (args[1] is not Global { Module: "torch" or "torch._tensor", Name: "Tensor" })
                    throw Refuse($"holds a tensor of the subclass {args[1]}, which RepDiff does not read; save it as a plain tensor (t.as_subclass(torch.Tensor))");
                return Reduce(inner, innerArgs) as TorchTensor ?? throw Refuse($"rebuilds a tensor with {inner}, which RepDiff does not read");
            case Global { Module: "collections", Name: "OrderedDict" } when args.Length == 0:
                return new PickleDict();
            // A device saved beside tensors (torch.device("cuda")): its name is all it holds.
            case Global { Module: "torch", Name: "device" } when args.Length >= 1 && args[0] is string device:
                return device;
            // Values saved beside tensors that torch.load's weights_only mode also reads: a shape (torch.Size((n, d))),
            // a defaultdict (its factory is never called: its items follow as SETITEMS), bytes at protocol 2.
            case Global { Module: "torch", Name: "Size" } when args is [object?[] dims]:
                return dims;
            case Global { Module: "collections", Name: "defaultdict" } when args.Length <= 1:
                return new PickleDict();
            case Global { Module: "_codecs", Name: "encode" } when args is [string text, "latin1" or "latin-1"]:
                return Encoding.Latin1.GetBytes(text);
            default:
                throw Refuse($"holds a Python object built by {callable} that RepDiff does not unpickle (it reads tensors in dicts, lists and tuples); "
                    + "save the embeddings alone (torch.save(tensor) or a dict of tensors), or as .npy or .safetensors");
        }
    }

    /// <summary>A persistent id torch.save writes for a storage: ('storage', torch.FloatStorage, key, location, elements).</summary>
    private TorchStorage Storage(object? id)
    {
        if (id is not object?[] { Length: >= 5 } fields || fields[0] as string != "storage" || fields[1] is not Global type
            || fields[2] is not string key || fields[4] is not long elements || elements < 0)
            throw Refuse("holds a persistent id that is not a torch storage");
        if (elements > Npy.MaxElements) throw Refuse($"holds a storage of {elements} values, more than any file can hold");
        if (type.Module != "torch") throw Refuse($"holds a storage of type {type}, which RepDiff does not read");
        var dtype = type.Name switch
        {
            "FloatStorage" => new NpyDtype('f', 4, false),
            "DoubleStorage" => new NpyDtype('f', 8, false),
            "HalfStorage" => new NpyDtype('f', 2, false),
            "BFloat16Storage" => new NpyDtype('h', 2, false),
            "LongStorage" => new NpyDtype('i', 8, false),
            "IntStorage" => new NpyDtype('i', 4, false),
            "ShortStorage" => new NpyDtype('i', 2, false),
            "CharStorage" => new NpyDtype('i', 1, false),
            "ByteStorage" => new NpyDtype('u', 1, false),
            "BoolStorage" => new NpyDtype('b', 1, false),
            "UntypedStorage" => new NpyDtype('u', 1, false),  // bytes, as torch.load reads it; _rebuild_tensor_v3 gives their dtype
            _ => throw Refuse($"holds a {type.Name} (float32/64/16, bfloat16, integer and bool tensors are read)"),
        };
        var storage = new TorchStorage(key, dtype, elements);
        // torch.save writes each storage once and refuses to save one storage viewed as two dtypes; torch.load would
        // read such a file with the first dtype for both, so a key whose dtype or length changes is refused.
        if (storages.TryGetValue(key, out var seen))
            return seen == storage ? seen
                : throw Refuse($"uses storage data/{NpyDtype.Truncate(key)} as {seen.Elements} {seen.Dtype.Name} values and as {elements} {dtype.Name} values");
        return storages[key] = storage;
    }

    /// <summary>A torch dtype by the name it pickles as (torch.uint16); null for those RepDiff does not read.</summary>
    private static NpyDtype? TensorDtype(string name) => name switch
    {
        "float32" or "float" => new NpyDtype('f', 4, false),
        "float64" or "double" => new NpyDtype('f', 8, false),
        "float16" or "half" => new NpyDtype('f', 2, false),
        "bfloat16" => new NpyDtype('h', 2, false),
        "int64" or "long" => new NpyDtype('i', 8, false),
        "int32" or "int" => new NpyDtype('i', 4, false),
        "int16" or "short" => new NpyDtype('i', 2, false),
        "int8" => new NpyDtype('i', 1, false),
        "uint8" => new NpyDtype('u', 1, false),
        "uint16" => new NpyDtype('u', 2, false),
        "uint32" => new NpyDtype('u', 4, false),
        "uint64" => new NpyDtype('u', 8, false),
        "bool" => new NpyDtype('b', 1, false),
        _ => null,
    };

    private long[] Integers(object? value, string what) =>
        value is object?[] items && items.All(i => i is long n && n >= 0) ? items.Select(i => (long)i!).ToArray()
        : throw Refuse($"rebuilds a tensor whose {what} is not a tuple of non-negative integers");

    private void AddPairs(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Refuse("is malformed (a dict with an odd number of items)");
        for (int i = 0; i < items.Count; i += 2)
            dict.Set(items[i] ?? throw Refuse("holds a dict with a None key"), items[i + 1]);
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        TorchTensor => "tensor",
        PickleDict => "dict",
        List<object?> => "list",
        object?[] => "tuple",
        _ => value.GetType().Name,
    };

    private List<object?> ListOnTop() => Top() as List<object?> ?? throw Refuse($"appends to a {Describe(Top())}, not a list");
    private PickleDict DictOnTop() => Top() as PickleDict ?? throw Refuse($"sets an item of a {Describe(Top())}, not a dict");

    private void Push(object? value)
    {
        if (stack.Count >= MaxDepth) throw Refuse($"is malformed (more than {MaxDepth} values on the stack)");
        Spend();
        stack.Add(value);
    }

    private void Remember(long key)
    {
        Spend();
        memo[key] = Top();
    }

    private void Spend()
    {
        if (++values > MaxValues)
            throw Refuse($"holds more than {MaxValues:N0} values, more than a torch.save of tensors writes (data.pkl holds their structure, not their values)");
    }

    private object? Top() => stack.Count > 0 && stack[^1] != MarkObject ? stack[^1] : throw Refuse("is malformed (the stack is empty)");

    private object? Pop()
    {
        var value = Top();
        stack.RemoveAt(stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        var items = new object?[count];
        for (int i = count - 1; i >= 0; i--) items[i] = Pop();
        return items;
    }

    private List<object?> PopToMark()
    {
        if (marks.Count == 0) throw Refuse("is malformed (no MARK)");
        int mark = marks.Pop();
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private object? Memo(long key) => memo.TryGetValue(key, out var value) ? value : throw Refuse($"is malformed (memo {key} read before it was written)");

    private byte Byte() => position < data.Length ? data[position++] : throw Refuse("is truncated");

    private ReadOnlySpan<byte> Bytes(int count)
    {
        if (count > data.Length - position) throw Refuse("is truncated");
        position += count;
        return data.AsSpan(position - count, count);
    }

    private int Length(ulong length) => length <= (ulong)(data.Length - position) ? (int)length : throw Refuse("is truncated (a string runs past its end)");

    private string Text(int length)
    {
        try { return new UTF8Encoding(false, true).GetString(Bytes(length)); }
        catch (DecoderFallbackException) { throw Refuse("holds a string that is not UTF-8"); }
    }

    private string Line()
    {
        int end = Array.IndexOf(data, (byte)'\n', position);
        if (end < 0 || end - position > 1024) throw Refuse("is malformed (a text field without its end)");
        string line = Encoding.ASCII.GetString(data, position, end - position);
        position = end + 1;
        return line;
    }

    /// <summary>The decimal text of INT or LONG, within 64 bits.</summary>
    private long Decimal(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value
        : throw Refuse($"holds an integer '{NpyDtype.Truncate(text)}' that is not decimal within 64 bits");

    /// <summary>LONG1: a little-endian two's-complement integer of n bytes; torch writes ints beyond 32 bits this way.</summary>
    private object Long(int count)
    {
        var value = new BigInteger(Bytes(count), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : throw Refuse("holds an integer beyond 64 bits");
    }
}
