using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Google.Protobuf;
using WirelessNet.Proto.Offload;
using WirelessNet.Simulators.World;

namespace WirelessNet.Simulators.Carriers;

/// <summary>
/// Runs a world's carrier radios against a server with carrier offload on: <see cref="ProvisionAsync"/> configures
/// each carrier (its router key, the technologies its radios use, a rate card) and registers its radios as hotspots
/// at their asserted locations through the admin API; <see cref="RunAsync"/> then has every radio heartbeat (CBRS
/// cells and Wi-Fi access points, with their positions) and test its speed, and every carrier router send batches of
/// signed data-transfer sessions (standalone and RADIUS start/interim/stop) over HTTP. A batch that is not answered
/// is not acknowledged and is sent again, byte for byte, up to <see cref="CarrierRunOptions.MaxAttempts"/>; a share of
/// answered batches is sent again as after a lost answer, and must come back already accepted.
/// </summary>
/// <remarks>Bounded in time by <see cref="CarrierRunOptions.Duration"/>; traffic goes to the server it is given (the
/// CLI allows loopback only).</remarks>
public sealed class CarrierFleetRun
{
    private const string Protobuf = "application/x-protobuf";
    private readonly CarrierRunOptions _options;

    public CarrierFleetRun(RadioWorldDefinition world, CarrierRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(world);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Networks = CarrierNetwork.FromWorld(world);
    }

    /// <summary>The world's carriers with their radios and keys.</summary>
    public IReadOnlyList<CarrierNetwork> Networks { get; }

    public CarrierRunStatistics Statistics { get; } = new();

    /// <summary>
    /// Configures every carrier of the world and registers its radios. False when the server has offload off (its
    /// offload API answers 404); other refusals throw <see cref="HttpRequestException"/> with the server's answer.
    /// Repeatable: carriers, rate cards and hotspots are put, not added.
    /// </summary>
    public async Task<bool> ProvisionAsync(HttpClient http, string adminKey, CancellationToken cancellationToken)
    {
        foreach (var network in Networks)
        {
            if (!await ProvisionAsync(http, adminKey, network, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Configures one carrier (its router key and the technologies its radios use, a $1.00/GB rate card) and registers
    /// its radios at their locations. False when the server has offload off (404); other refusals throw
    /// <see cref="HttpRequestException"/> with the server's answer.
    /// </summary>
    public static async Task<bool> ProvisionAsync(HttpClient http, string adminKey, CarrierNetwork network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(network);
        var technologies = network.Radios.Select(r => r.IsCbrs ? "Eutran" : "Wlan").Distinct(StringComparer.Ordinal).ToArray();
        using (var carrier = await SendAsync(http, HttpMethod.Put, $"api/offload/carriers/{network.CarrierId}", adminKey, new { routerKeys = new[] { network.Router.PublicKey.ToAddress() }, allowedTechnologies = technologies }, cancellationToken).ConfigureAwait(false))
        {
            if (carrier.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            await EnsureAsync(carrier, cancellationToken).ConfigureAwait(false);
        }

        using (var card = await SendAsync(http, HttpMethod.Post, $"api/offload/carriers/{network.CarrierId}/rate-cards", adminKey, new { effectiveFrom = DateTimeOffset.UnixEpoch, pricePerGigabyte = 1.00m, currency = "USD", operatorRevenueShare = 0.6m }, cancellationToken).ConfigureAwait(false))
        {
            await EnsureAsync(card, cancellationToken).ConfigureAwait(false);
        }

        foreach (var radio in network.Radios)
        {
            using var hotspot = await SendAsync(http, HttpMethod.Put, $"api/offload/hotspots/{radio.Key.PublicKey.ToAddress()}", adminKey, new { banned = false, latitude = radio.Definition.Latitude, longitude = radio.Definition.Longitude }, cancellationToken).ConfigureAwait(false);
            await EnsureAsync(hotspot, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Runs every carrier for <see cref="CarrierRunOptions.Duration"/> (after <see cref="ProvisionAsync"/>).</summary>
    public async Task RunAsync(HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var random = new Random(_options.Seed);
        var carriers = Networks.Select(n => RunCarrierAsync(http, new CarrierRadioSimulator(n, _options.AccountingShare, random.Next()), random.Next(), cancellationToken)).ToArray();
        await Task.WhenAll(carriers).ConfigureAwait(false);
    }

    private async Task RunCarrierAsync(HttpClient http, CarrierRadioSimulator carrier, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var clock = TimeProvider.System;
        var end = clock.GetUtcNow() + _options.Duration;
        var nextHeartbeat = clock.GetUtcNow();
        var nextSpeedtest = nextHeartbeat;
        var nextBatch = nextHeartbeat + (_options.BatchInterval * random.NextDouble());
        try
        {
            while (true)
            {
                var now = clock.GetUtcNow();
                if (now >= end)
                {
                    return;
                }

                if (now >= nextHeartbeat)
                {
                    await SendHeartbeatsAsync(http, carrier.Heartbeats(now), cancellationToken).ConfigureAwait(false);
                    nextHeartbeat = now + _options.HeartbeatInterval;
                }

                if (now >= nextSpeedtest)
                {
                    await SendHeartbeatsAsync(http, carrier.Speedtests(now), cancellationToken).ConfigureAwait(false);
                    nextSpeedtest = now + _options.SpeedtestInterval;
                }

                if (now >= nextBatch)
                {
                    await SendSessionsAsync(http, carrier.NextBatch(_options.RecordsPerBatch, now), random, cancellationToken).ConfigureAwait(false);
                    nextBatch = now + (_options.BatchInterval * (0.5 + random.NextDouble()));
                }

                var wake = new[] { nextHeartbeat, nextSpeedtest, nextBatch, end }.Min();
                var wait = wake - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendSessionsAsync(HttpClient http, data_transfer_batch_req_v1 batch, Random random, CancellationToken cancellationToken)
    {
        var records = batch.Sessions.Count + batch.AccountingRecords.Count;
        var body = batch.ToByteArray();
        Statistics.Sent(records);
        var answer = await PostAsync(http, "api/offload/sessions", body, records, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return;
        }

        Count(data_transfer_batch_resp_v1.Parser.ParseFrom(answer));
        if (random.NextDouble() < _options.LostAnswerShare)
        {
            // The router never saw that answer: it sends the batch again, and the server must recognise every record.
            Statistics.Retried(records);
            var again = await PostAsync(http, "api/offload/sessions", body, records, cancellationToken).ConfigureAwait(false);
            if (again is not null)
            {
                Count(data_transfer_batch_resp_v1.Parser.ParseFrom(again));
            }
        }
    }

    private void Count(data_transfer_batch_resp_v1 response)
    {
        foreach (var result in response.Results)
        {
            switch (result.Status)
            {
                case record_status.Accepted:
                    Statistics.Accepted();
                    break;
                case record_status.AlreadyAccepted:
                    Statistics.AlreadyAccepted();
                    break;
                default:
                    Statistics.Rejected(result.Reason);
                    break;
            }
        }
    }

    private async Task SendHeartbeatsAsync(HttpClient http, heartbeat_batch_req_v1 batch, CancellationToken cancellationToken)
    {
        var answer = await PostAsync(http, "api/offload/heartbeats", batch.ToByteArray(), 0, cancellationToken).ConfigureAwait(false);
        if (answer is null)
        {
            return;
        }

        var response = heartbeat_batch_resp_v1.Parser.ParseFrom(answer);
        var cells = batch.CellHeartbeats.Count + batch.WifiHeartbeats.Count;
        for (var i = 0; i < response.Results.Count; i++)
        {
            var taken = response.Results[i].Status != record_status.Rejected;
            if (i < cells)
            {
                Statistics.Heartbeat(taken);
            }
            else
            {
                Statistics.Speedtest(taken);
            }
        }
    }

    /// <summary>
    /// Posts a batch until it is answered: a transport failure, a timeout or a 5xx (the server could not store it) is
    /// no acknowledgement, so the same bytes go again after <see cref="CarrierRunOptions.RetryDelay"/>. A 4xx is final.
    /// Null when the batch was not answered.
    /// </summary>
    private async Task<byte[]?> PostAsync(HttpClient http, string path, byte[] body, int records, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(Protobuf);
                using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                }

                if ((int)response.StatusCode < 500)
                {
                    Statistics.Error();
                    return null;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout.
            }

            if (attempt >= _options.MaxAttempts)
            {
                Statistics.GivenUp(records);
                return null;
            }

            Statistics.Retried(records);
            await Task.Delay(_options.RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync<T>(HttpClient http, HttpMethod method, string path, string adminKey, T body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} → {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }
    }
}
