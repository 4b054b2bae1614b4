using StbImageSharp;

namespace Trilobite.Vision.Imaging;

/// <summary>
/// An image's header (format, width, height) read without decoding pixels. StbImageSharp reads headers only from a
/// stream, and tells the end of one by Position == Length; a segment length pointing past the end seeks beyond it, and
/// its marker search then never ends (an 11-byte truncated JPEG hung it). The stream it gets here stops every seek at the end.
/// </summary>
internal static class ImageHeader
{
    public static ImageInfo? Read(Stream stream) => ImageInfo.FromStream(new EndClampedStream(stream));

    public static ImageInfo? Read(byte[] bytes) => Read(new MemoryStream(bytes, writable: false));

    /// <summary>A read-only view of a seekable stream whose position never passes its end.</summary>
    private sealed class EndClampedStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = Math.Clamp(value, 0, inner.Length);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
