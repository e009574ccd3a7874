using System.Net;
using System.Net.Sockets;

namespace DrDam.ML.Samples.ScaleOut;

/// <summary>Free TCP ports on loopback, so that parallel runs never collide on fixed ports.</summary>
internal static class FreePort
{
    /// <summary>A port the system just handed out and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
