using System.Globalization;

namespace WirelessNet.Testing;

/// <summary>
/// A real three-master Redis Cluster on 127.0.0.1 (three redis-server processes joined with
/// <c>redis-cli --cluster create</c>), to prove that every key a multi-key operation touches shares one hash slot.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes;

    private RedisCluster(List<RedisServer> nodes) => _nodes = nodes;

    /// <summary>All nodes, comma-separated: a StackExchange.Redis configuration string for the cluster.</summary>
    public string ConnectionString => string.Join(',', _nodes.Select(n => n.ConnectionString));

    public static async Task<RedisCluster> StartNewAsync(CancellationToken cancellationToken = default)
    {
        var cli = ExecutableLocator.Require("redis-cli", "redis-tools");
        var nodes = new List<RedisServer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                // The cluster bus gets its own free port: the default (port + 10000) may be taken or out of range.
                nodes.Add(await RedisServer.StartNewAsync(
                    new RedisServerOptions
                    {
                        ExtraArguments = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", FreeTcpPort.Pick().ToString(CultureInfo.InvariantCulture)],
                    },
                    cancellationToken).ConfigureAwait(false));
            }

            var create = await ManagedProcess.RunAsync(
                cli,
                ["--cluster", "create", .. nodes.Select(n => n.ConnectionString), "--cluster-yes"],
                TimeSpan.FromSeconds(60),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (create.ExitCode != 0)
            {
                throw new InfrastructureStartException($"redis-cli --cluster create failed ({create.ExitCode}): {create.StandardOutput} {create.StandardErrorTail}");
            }

            // Slots are assigned at once, but each node reaches cluster_state:ok on its own a moment later; a client
            // talking to a node that has not yet would get CLUSTERDOWN.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            foreach (var node in nodes)
            {
                while (true)
                {
                    var info = await ManagedProcess.RunAsync(cli, ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"], TimeSpan.FromSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (info.StandardOutput.Contains("cluster_state:ok", StringComparison.Ordinal))
                    {
                        break;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        throw new InfrastructureStartException($"Redis Cluster node {node.ConnectionString} did not reach cluster_state:ok: " + info.StandardOutput);
                    }

                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                }
            }

            return new RedisCluster(nodes);
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
