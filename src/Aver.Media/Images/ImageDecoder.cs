namespace Aver.Media;

/// <summary>
/// Still images (JPEG, PNG, anything ffmpeg reads) as gray or RGB <see cref="Image"/>s. JPEG, PNG, BMP and GIF
/// are decoded in-process by <see cref="StbDecoder"/>: FER2013's 35,887 JPEGs take 3.5 s on 2 cores against 19.9 s
/// through batched ffmpeg processes and 120 ms per image through one ffmpeg process each (pixels within 1 grey
/// level of ffmpeg's). What stb_image cannot read goes to ffmpeg: many small images in batches whose bytes are fed
/// through one process's stdin (jpeg_pipe/png_pipe) and come back as a PAM stream, others one process each.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Decodes one image file.</summary>
    public static Image Load(string path, ImageColor color = ImageColor.Rgb)
    {
        MediaException.ThrowIfNotReadable(path);
        return StbDecoder.TryLoad(path, color) ?? LoadWithFfmpeg(path, color);
    }

    private static Image LoadWithFfmpeg(string path, ImageColor color)
    {
        var args = FfmpegArgs.Input(path);
        args.AddRange(["-frames:v", "1", "-an", "-pix_fmt", PixFmt(color), "-c:v", "pam", "-f", "image2pipe", "pipe:1"]);
        using var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, path);
        Image? img;
        try { img = PamReader.ReadNext(p.Output, path); }
        catch (MediaException)
        {
            var (code, err) = p.WaitForExit();
            if (code != 0) throw FfmpegErrors.ToException(path, err, "image");
            throw;
        }
        p.WaitForSuccess("image");
        return img ?? throw new MediaException(path, "not an image ffmpeg can decode (no picture came out)");
    }

    /// <summary>
    /// Decodes <paramref name="paths"/> in order, <paramref name="batchSize"/> files per ffmpeg process and
    /// up to <paramref name="parallelism"/> processes at once. A batch that fails is retried file by file,
    /// so the exception names the bad file.
    /// </summary>
    public static Image[] LoadMany(IReadOnlyList<string> paths, ImageColor color = ImageColor.Rgb, int batchSize = 512, int parallelism = 2)
    {
        var result = new Image[paths.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) };
        Parallel.For(0, paths.Count, options, i => result[i] = StbDecoder.TryLoad(paths[i], color)!);
        var rest = Enumerable.Range(0, paths.Count).Where(i => result[i] is null).ToArray();
        if (rest.Length == 0) return result;
        var viaFfmpeg = LoadManyWithFfmpeg(rest.Select(i => paths[i]).ToList(), color, batchSize, parallelism);
        for (int k = 0; k < rest.Length; k++) result[rest[k]] = viaFfmpeg[k];
        return result;
    }

    private static Image[] LoadManyWithFfmpeg(IReadOnlyList<string> paths, ImageColor color, int batchSize, int parallelism)
    {
        var result = new Image[paths.Count];
        // Runs of consecutive files with the same container, size and components share a process.
        var headers = new ImageHeader?[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i => headers[i] = ImageHeader.TryRead(paths[i]));
        var batches = new List<(int Start, int Count, ImageHeader? Header)>();
        for (int i = 0; i < paths.Count;)
        {
            int j = i + 1;
            if (headers[i] is not null)
                while (j < paths.Count && j - i < batchSize && headers[j] == headers[i]) j++;
            batches.Add((i, j - i, headers[i]));
            i = j;
        }
        try
        {
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, b =>
            {
                if (b.Header is not { } h || b.Count == 1 || !TryBatch(paths, b.Start, b.Count, h, color, result))
                    for (int k = b.Start; k < b.Start + b.Count; k++) result[k] = LoadWithFfmpeg(paths[k], color);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<MediaException>().FirstOrDefault() is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        return result;
    }

    /// <summary>Decodes one run of same-sized files through one process; false (retry one by one) on any surprise.</summary>
    private static bool TryBatch(IReadOnlyList<string> paths, int start, int count, ImageHeader header, ImageColor color, Image[] result)
    {
        string demuxer = header.Demuxer;
        string first = paths[start];
        string[] args = ["-nostdin", "-hide_banner", "-v", "error", "-threads", "1", "-f", demuxer, "-i", "pipe:0",
                         "-fps_mode", "passthrough", "-an", "-pix_fmt", PixFmt(color), "-c:v", "pam", "-f", "image2pipe", "pipe:1"];
        // -nostdin only stops ffmpeg reading the terminal for commands; pipe:0 still reads our bytes.
        using var p = FfmpegProcess.Start(FfmpegTools.Ffmpeg, args, first, redirectInput: true);
        var feed = Task.Run(() =>
        {
            try
            {
                for (int k = start; k < start + count; k++) p.Input.Write(File.ReadAllBytes(paths[k]));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { }   // ffmpeg quit or was killed; the count check notices
            finally { try { p.Input.Close(); } catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { } }
        });
        int n = 0;
        var images = new Image[count];
        try
        {
            while (PamReader.ReadNext(p.Output, first) is { } img)
            {
                // A picture of another size means ffmpeg rotated or rescaled it: let the one-by-one path decide.
                if (n == count || img.Width != header.Width || img.Height != header.Height) return false;
                images[n++] = img;
            }
        }
        catch (MediaException) { return false; }
        feed.GetAwaiter().GetResult();
        var (code, _) = p.WaitForExit();
        if (code != 0 || n != count) return false;
        images.CopyTo(result, start);
        return true;
    }

    private static string PixFmt(ImageColor color) => color == ImageColor.Gray ? "gray" : "rgb24";
}
