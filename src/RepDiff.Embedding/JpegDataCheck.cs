namespace RepDiff.Embedding;

/// <summary>
/// Finds damaged image data in a baseline (Huffman, sequential) JPEG, which Skia decodes without a word: libjpeg
/// only warns ("Corrupt JPEG data: premature end of data segment", "bad Huffman code") and fills the blocks it
/// could not read with grey, or with garbage after the code stream lost its place, and Skia passes no warning on.
/// This walks the markers and reads every block's Huffman codes (no inverse DCT): each code must exist, every
/// block of a scan must be read before the next marker, restart markers must come in order, and no more than a
/// few stray bytes may follow a scan's last block (a stream that lost its place mid-scan finishes early).
/// Progressive, arithmetic-coded and lossless JPEGs are not checked (Skia still refuses them when truncated).
/// </summary>
internal static class JpegDataCheck
{
    /// <summary>
    /// Bytes allowed between a scan's last block and the next marker. libjpeg's encoder leaves none; libjpeg's
    /// warning "1 extraneous bytes before marker 0xd9" is known on intact pictures from other encoders. A stream
    /// that lost its place and found it again finishes early: 36 bytes on 37 of 100 damaged copies of a photo.
    /// </summary>
    private const int StrayBytesAllowed = 8;

    /// <summary>What is wrong with the JPEG's image data, or null when it reads whole (or is of a kind not checked).</summary>
    public static string? Problem(byte[] jpeg)
    {
        try { return new Reader(jpeg).Check(); }
        // A marker segment cut short or lying about its lengths: Skia's decoder reports that itself.
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException) { return null; }
    }

    private sealed class Huffman
    {
        // Codes of up to 9 bits by table lookup (length << 8 | symbol), longer ones canonically (ITU T.81 F.2.2.3):
        // the largest code of each length and where its symbols start.
        private const int LookupBits = 9;
        private readonly int[] _lookup = new int[1 << LookupBits];
        private readonly int[] _maxCode = new int[17];
        private readonly int[] _valOffset = new int[17];
        private readonly byte[] _symbols;

        public Huffman(ReadOnlySpan<byte> counts, byte[] symbols)
        {
            _symbols = symbols;
            int code = 0, k = 0;
            for (int length = 1; length <= 16; length++)
            {
                _valOffset[length] = k - code;
                for (int i = 0; i < counts[length - 1] && k < symbols.Length; i++, k++, code++)
                    if (length <= LookupBits)
                    {
                        int first = code << (LookupBits - length), span = 1 << (LookupBits - length);
                        if (first + span <= _lookup.Length) _lookup.AsSpan(first, span).Fill(length << 8 | symbols[k]);
                    }
                _maxCode[length] = counts[length - 1] > 0 ? code - 1 : -1;
                code <<= 1;
            }
        }

        /// <summary>The next symbol, or -1 for a bit pattern no code of the table starts with.</summary>
        public int Decode(ref BitReader bits)
        {
            int next = bits.Peek16();
            int entry = _lookup[next >> (16 - LookupBits)];
            if (entry != 0)
            {
                bits.Skip(entry >> 8);
                return entry & 0xFF;
            }
            for (int length = LookupBits + 1; length <= 16; length++)
            {
                int code = next >> (16 - length);
                if (code <= _maxCode[length])
                {
                    bits.Skip(length);
                    int index = code + _valOffset[length];
                    return index >= 0 && index < _symbols.Length ? _symbols[index] : -1;
                }
            }
            return -1;
        }
    }

    /// <summary>
    /// Bits of one entropy-coded segment, buffered 64 at a time: 0xFF 0x00 is a data byte 0xFF; any other marker ends
    /// the segment, after which libjpeg reads zeros (and warns when a block needed them: <see cref="PastEnd"/>).
    /// </summary>
    private struct BitReader(byte[] data, int start)
    {
        /// <summary>The next byte not yet in the buffer; at a marker once <see cref="_atMarker"/> is set.</summary>
        public int Position = start;
        private ulong _buffer;
        private int _count;
        private bool _atMarker;
        public bool PastEnd;

        /// <summary>Whole bytes taken into the buffer but not read yet.</summary>
        public readonly int BufferedBytes => _count / 8;

        private void Fill()
        {
            while (_count <= 56 && !_atMarker)
            {
                if (Position >= data.Length) { _atMarker = true; break; }
                byte b = data[Position];
                if (b == 0xFF)
                {
                    if (Position + 1 < data.Length && data[Position + 1] == 0x00) Position += 2;
                    else { _atMarker = true; break; }
                }
                else Position++;
                _buffer |= (ulong)b << (56 - _count);
                _count += 8;
            }
        }

        public int Peek16()
        {
            if (_count < 16) Fill();
            return (int)(_buffer >> 48);
        }

        public void Skip(int count)
        {
            if (_count < count) Fill();
            if (count > _count) { PastEnd = true; _buffer = 0; _count = 0; return; }
            _buffer <<= count;
            _count -= count;
        }

        /// <summary>Drops the rest of the current byte (a segment ends on a byte boundary).</summary>
        public void Align() => Skip(_count & 7);
    }

    private sealed class Reader(byte[] data)
    {
        private readonly Huffman?[] _dc = new Huffman?[4], _ac = new Huffman?[4];
        private int _restartInterval;
        private (int Id, int H, int V)[]? _components;
        private int _width, _height;
        private int _scans;

        public string? Check()
        {
            if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) return null;
            int p = 2;
            bool baseline = false;
            while (true)
            {
                // Find the next marker; stray bytes between segments are libjpeg's warning only.
                while (p < data.Length && data[p] != 0xFF) p++;
                while (p < data.Length && data[p] == 0xFF) p++;
                if (p >= data.Length) return null;
                int marker = data[p++];
                if (marker == 0xD9) return null; // EOI
                if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) continue; // no length
                int length = (data[p] << 8) | data[p + 1];
                if (length < 2) return null;
                int body = p + 2, end = p + length;
                if (end > data.Length) return null;
                switch (marker)
                {
                    case 0xC0 or 0xC1:
                        baseline = true;
                        ReadFrame(body);
                        break;
                    case >= 0xC2 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                        return null; // progressive, lossless, hierarchical or arithmetic-coded: not checked
                    case 0xC4:
                        ReadTables(body, end);
                        break;
                    case 0xDD:
                        _restartInterval = (data[body] << 8) | data[body + 1];
                        break;
                    case 0xDA:
                        if (!baseline || _components is null || _width == 0 || _height == 0) return null; // height 0: set by a DNL marker later
                        _scans++;
                        var (problem, next) = ReadScan(body);
                        if (problem is not null) return $"damaged JPEG data in scan {_scans}: {problem}";
                        p = next;
                        continue;
                }
                p = end;
            }
        }

        private void ReadFrame(int body)
        {
            _height = (data[body + 1] << 8) | data[body + 2];
            _width = (data[body + 3] << 8) | data[body + 4];
            int count = data[body + 5];
            _components = new (int, int, int)[count];
            for (int i = 0; i < count; i++)
            {
                int at = body + 6 + 3 * i;
                _components[i] = (data[at], Math.Max(1, data[at + 1] >> 4), Math.Max(1, data[at + 1] & 15));
            }
        }

        private void ReadTables(int p, int end)
        {
            while (p + 17 <= end)
            {
                int kind = data[p] >> 4, id = data[p] & 3;
                var counts = data.AsSpan(p + 1, 16);
                int total = 0;
                foreach (byte c in counts) total += c;
                var symbols = data.AsSpan(p + 17, total).ToArray();
                (kind == 0 ? _dc : _ac)[id] = new Huffman(counts, symbols);
                p += 17 + total;
            }
        }

        /// <summary>Reads every block of the scan whose header starts at <paramref name="body"/>; returns the problem (or null) and where the scan's data ends.</summary>
        private (string? Problem, int Next) ReadScan(int body)
        {
            int count = data[body];
            var scan = new (int H, int V, Huffman Dc, Huffman Ac)[count];
            for (int i = 0; i < count; i++)
            {
                int id = data[body + 1 + 2 * i], tables = data[body + 2 + 2 * i];
                var component = Array.Find(_components!, c => c.Id == id);
                var dc = _dc[(tables >> 4) & 3];
                var ac = _ac[tables & 3];
                // Motion-JPEG frames leave the standard tables out and libjpeg supplies them: not checked.
                if (component.Id != id || dc is null || ac is null) return (null, data.Length);
                scan[i] = (component.H, component.V, dc, ac);
            }
            int start = body + 1 + 2 * count + 3;
            int hMax = _components!.Max(c => c.H), vMax = _components!.Max(c => c.V);
            long units; // MCUs: one block each in a scan of one component
            if (count == 1)
            {
                long w = (((long)_width * scan[0].H + hMax - 1) / hMax + 7) / 8, h = (((long)_height * scan[0].V + vMax - 1) / vMax + 7) / 8;
                units = w * h;
                scan[0] = (1, 1, scan[0].Dc, scan[0].Ac);
            }
            else units = (long)((_width + 8 * hMax - 1) / (8 * hMax)) * ((_height + 8 * vMax - 1) / (8 * vMax));

            var bits = new BitReader(data, start);
            int restartsSeen = 0;
            for (long unit = 0; unit < units; unit++)
            {
                if (_restartInterval > 0 && unit > 0 && unit % _restartInterval == 0)
                {
                    bits.Align();
                    int at = bits.Position; // bytes still buffered are stray ones before the marker
                    while (at < data.Length && data[at] != 0xFF) at++;
                    while (at < data.Length && data[at] == 0xFF) at++;
                    int expected = 0xD0 + restartsSeen % 8;
                    if (at >= data.Length || data[at] != expected)
                        return ($"restart marker {restartsSeen % 8} missing before block group {unit} of {units}", data.Length);
                    restartsSeen++;
                    bits = new BitReader(data, at + 1);
                }
                foreach (var (h, v, dc, ac) in scan)
                    for (int b = 0; b < h * v; b++)
                    {
                        int size = dc.Decode(ref bits);
                        if (size < 0) return ($"bad Huffman code near byte {bits.Position - bits.BufferedBytes}", data.Length);
                        bits.Skip(size & 15);
                        for (int k = 1; k < 64;)
                        {
                            int rs = ac.Decode(ref bits);
                            if (rs < 0) return ($"bad Huffman code near byte {bits.Position - bits.BufferedBytes}", data.Length);
                            if ((rs & 15) == 0)
                            {
                                if (rs != 0xF0) break; // end of block
                                k += 16;
                                continue;
                            }
                            k += (rs >> 4) + 1;
                            bits.Skip(rs & 15);
                        }
                        if (bits.PastEnd) return ($"its data ends at byte {bits.Position}, before block group {unit + 1} of {units} is complete", data.Length);
                    }
            }
            // The scan's blocks are all read: what follows up to the next marker should be padding at most.
            bits.Align();
            int stray = bits.BufferedBytes, q = bits.Position;
            while (q < data.Length && !(data[q] == 0xFF && q + 1 < data.Length && data[q + 1] != 0x00)) { q++; stray++; }
            if (stray > StrayBytesAllowed)
                return ($"{stray} bytes of data follow its last block (the code stream lost its place)", data.Length);
            return (null, q);
        }
    }
}
