namespace Aver.Tensors;

/// <summary>The per-core (L2) cache size, which sizes the convolution's column tiles.</summary>
internal static class CpuCache
{
    /// <summary>Bytes of the L2 cache of CPU 0, read from Linux's sysfs; 1 MiB where it cannot be read.</summary>
    public static int L2Bytes { get; } = ReadL2() ?? 1 << 20;

    private static int? ReadL2()
    {
        try
        {
            const string dir = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(dir)) return null;
            foreach (var index in Directory.GetDirectories(dir, "index*"))
            {
                string level = File.ReadAllText(Path.Combine(index, "level")).Trim();
                if (level != "2") continue;
                string size = File.ReadAllText(Path.Combine(index, "size")).Trim();
                int scale = size.EndsWith('K') ? 1 << 10 : size.EndsWith('M') ? 1 << 20 : 1;
                return int.TryParse(size.TrimEnd('K', 'M'), out int n) && n > 0 ? n * scale : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
