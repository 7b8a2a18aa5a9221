using System.Runtime.CompilerServices;

// The fuzz harnesses (tools/fuzz) and their regression tests drive the internal parsers directly: WAV stream
// reader, MP4 box check, image header and PAM reader.
[assembly: InternalsVisibleTo("Aver.Fuzz")]
[assembly: InternalsVisibleTo("Aver.Media.Tests")]
