using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace WirelessNet.Testing.Tests;

/// <summary>Serves one HTML page on 127.0.0.1 at a free port until disposed.</summary>
internal sealed class TinyPageServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public TinyPageServer(string html)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                Url = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }

        _loop = Task.Run(() => ServeAsync(Encoding.UTF8.GetBytes(html)));
    }

    public Uri Url { get; }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync(byte[] body)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            // Only the page itself; favicon and anything else get 404.
            if (context.Request.Url?.AbsolutePath == "/")
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }
}

public sealed class ChromiumTests
{
    private const string ScriptedPage = """
        <!doctype html>
        <html><head><title>fixture</title></head>
        <body style="background:#2060c0">
          <div id="out">static</div>
          <script>document.getElementById('out').textContent = 'rendered-by-script ' + (6 * 7);</script>
        </body></html>
        """;

    [Fact]
    public async Task DumpDom_OfAnHttpPage_ContainsScriptOutput_AndLeavesNoProcessBehind()
    {
        using var page = new TinyPageServer(ScriptedPage);
        using var profiles = TemporaryDirectory.Create("wirelessnet-test-");
        var chromium = ChromiumLocator.CreateHeadless();

        var dom = await chromium.DumpDomAsync(page.Url, new HeadlessChromiumOptions { ProfileParentDirectory = profiles.Path });

        Assert.Contains("rendered-by-script 42", dom);
        Assert.DoesNotContain(">static<", dom);
        Assert.Empty(ProcessProbe.FindByCommandLine(profiles.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(profiles.Path));
    }

    [Fact]
    public async Task DumpDom_OfADelayedFilePage_NeedsTheVirtualTimeBudget()
    {
        using var directory = TemporaryDirectory.Create("wirelessnet-test-");
        var file = Path.Combine(directory.Path, "page.html");
        await File.WriteAllTextAsync(file, """
            <!doctype html><html><body><p id="p">waiting</p>
            <script>setTimeout(() => document.getElementById('p').textContent = 'late-text', 500);</script>
            </body></html>
            """);

        var dom = await ChromiumLocator.CreateHeadless().DumpDomAsync(
            new Uri(file),
            new HeadlessChromiumOptions { VirtualTimeBudget = TimeSpan.FromSeconds(2) });

        Assert.Contains("late-text", dom);
    }

    [Fact]
    public async Task Screenshot_WritesAPngOfTheWindowSize()
    {
        using var page = new TinyPageServer(ScriptedPage);
        using var directory = TemporaryDirectory.Create("wirelessnet-test-");

        var png = await ChromiumLocator.CreateHeadless().ScreenshotAsync(page.Url, Path.Combine(directory.Path, "page.png"));

        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);

        // IHDR follows the signature: 4-byte length, "IHDR", then width and height (big-endian).
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    [Fact]
    public void Locator_FindsDebianChromium()
    {
        Assert.Equal("/usr/bin/chromium", ChromiumLocator.Find());
    }

    [Fact]
    public async Task Timeout_KillsTheBrowser()
    {
        // A server that accepts the connection but never answers keeps chromium waiting until our timeout fires.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var profiles = TemporaryDirectory.Create("wirelessnet-test-");

        await Assert.ThrowsAsync<TimeoutException>(() => ChromiumLocator.CreateHeadless().DumpDomAsync(
            new Uri($"http://127.0.0.1:{port}/"),
            new HeadlessChromiumOptions { Timeout = TimeSpan.FromSeconds(3), ProfileParentDirectory = profiles.Path }));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (ProcessProbe.FindByCommandLine(profiles.Path).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(ProcessProbe.FindByCommandLine(profiles.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(profiles.Path));
    }
}
