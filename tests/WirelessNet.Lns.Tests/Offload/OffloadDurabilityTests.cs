using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using WirelessNet.Helium.Crypto;
using WirelessNet.Proto.Offload;
using WirelessNet.Testing;
using Xunit;

namespace WirelessNet.Lns.Tests.Offload;

/// <summary>
/// Exactly-once under crashes: a router keeps sending batches and retries every batch until it is answered. The
/// server process is killed with SIGKILL mid-run and replaced, and Redis (AOF, appendfsync everysec) is killed and
/// restarted mid-run. At the end, the stored records and the closed statement equal exactly what was acknowledged.
/// </summary>
public sealed class OffloadDurabilityTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string AdminKey = OffloadEndToEndTests.AdminKey;
    private const int Batches = 60;
    private const int PerBatch = 25;

    [Fact]
    public async Task Acknowledged_records_survive_a_server_sigkill_and_a_redis_kill_and_are_counted_once()
    {
        var prefix = "dur" + Guid.NewGuid().ToString("N")[..6];
        var httpPort = FreeTcpPort.Pick();
        var grpcPort = FreeTcpPort.Pick();
        var server = await StartServerProcessAsync(prefix, httpPort, grpcPort);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            await OffloadEndToEndTests.ConfigureAsync(http);
            var router = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)1, 32).ToArray());
            var hotspot = HeliumKeyPair.FromEntropy(HeliumKeyType.Ed25519, HeliumNetwork.MainNet, Enumerable.Repeat((byte)3, 32).ToArray());
            var yesterday = DateTimeOffset.UtcNow.AddDays(-1);
            var acknowledged = new Dictionary<string, ulong>(StringComparer.Ordinal);
            var attempts = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));

            for (var b = 0; b < Batches; b++)
            {
                var batch = new data_transfer_batch_req_v1();
                for (var i = 0; i < PerBatch; i++)
                {
                    var n = (b * PerBatch) + i;
                    batch.Sessions.Add(OffloadEndToEndTests.HeliumSession(hotspot, router, $"{prefix}-{n}", (ulong)(1000 + n), 500, (ulong)(1000 + n), yesterday.ToUnixTimeSeconds() + n));
                }

                if (b == Batches / 3)
                {
                    // Send the batch and kill the server without warning while it is in flight: the router cannot
                    // know whether it was stored, so it retries on the replacement process, which must either take
                    // it or recognise it, never count it twice.
                    using (var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}"))
                    {
                        var inFlight = new offload_ingest.offload_ingestClient(channel).submit_data_transfer_batchAsync(batch).ResponseAsync;
                        await Task.Delay(Random.Shared.Next(0, 30), deadline.Token);
                        server.Kill();
                        try
                        {
                            await inFlight;
                        }
                        catch (RpcException)
                        {
                            // Lost with the process; the retry below decides.
                        }
                    }

                    await server.DisposeAsync();
                    server = await StartServerProcessAsync(prefix, httpPort, grpcPort);
                }

                if (b == 2 * Batches / 3)
                {
                    await redis.RestartAsync(ServerStopMode.Kill, deadline.Token);
                }

                while (true)
                {
                    deadline.Token.ThrowIfCancellationRequested();
                    attempts++;
                    try
                    {
                        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
                        var answer = await new offload_ingest.offload_ingestClient(channel).submit_data_transfer_batchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(10));
                        Assert.All(answer.Results, r => Assert.NotEqual(record_status.Rejected, r.Status));
                        foreach (var session in batch.Sessions)
                        {
                            acknowledged[session.DataTransferUsage.EventId] = session.RewardableBytes;
                        }

                        break;
                    }
                    catch (RpcException)
                    {
                        // Not answered: not acknowledged. Retry, as a router must.
                        await Task.Delay(200, deadline.Token);
                    }
                }
            }

            Assert.True(attempts >= Batches);
            using var admin = OffloadEndToEndTests.Authorized(http, AdminKey);
            var close = await admin.PostAsJsonAsync("/api/offload/carriers/carrier-a/close", new { periodStart = yesterday }, deadline.Token);
            Assert.True(close.StatusCode == HttpStatusCode.OK, await close.Content.ReadAsStringAsync(deadline.Token));
            var statements = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/statements", deadline.Token);
            var totals = statements.EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "Regular").GetProperty("totals");
            Assert.Equal(acknowledged.Count, totals.GetProperty("records").GetInt64());
            Assert.Equal(acknowledged.Values.Aggregate(0UL, (sum, v) => sum + v), (ulong)totals.GetProperty("rewardableBytes").GetInt64());

            var records = await admin.GetFromJsonAsync<JsonElement>("/api/offload/carriers/carrier-a/records?limit=10000", deadline.Token);
            var stored = records.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("eventId").GetString()!).ToList();
            Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(acknowledged.Keys.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private async Task<ManagedProcess> StartServerProcessAsync(string prefix, int httpPort, int grpcPort)
    {
        var arguments = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "WirelessNet.Lns.dll"),
            $"--Kestrel:Endpoints:Http:Url=http://127.0.0.1:{httpPort}",
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{grpcPort}",
            "--Kestrel:Endpoints:Grpc:Protocols=Http2",
            "--Mqtt:Broker:Enabled=false",
            "--Mqtt:Gateway:Enabled=false",
            "--Store:Kind=Redis",
            $"--Redis:Configuration={redis.ConnectionString},abortConnect=false,connectRetry=10",
            $"--Redis:KeyPrefix={prefix}",
            "--Offload:Enabled=true",
            "--Offload:DataCompleteGrace=00:00:00",
            "--Offload:RequireHeartbeats=false",
            "--Offload:StatementKeySeed=" + new string('7', 64),
            $"--Api:AdminKey={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
        };
        var process = ManagedProcess.Start("dotnet", arguments, new ManagedProcessOptions { WorkingDirectory = AppContext.BaseDirectory });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = await process.WaitUntilReadyAsync(
            async ct =>
            {
                try
                {
                    return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/healthz"), ct)) == "ok";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            CancellationToken.None);
        Assert.True(ready.Outcome == ReadinessOutcome.Ready, "server process did not start: " + process.DescribeOutput());
        return process;
    }
}
