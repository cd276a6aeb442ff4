using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using StackExchange.Redis;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Storage;
using WirelessNet.Lns.Storage.Redis;
using static WirelessNet.Lns.Tests.Storage.StoreTestData;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>
/// Redis Cluster runs a script or multi-key command only when all its keys hash to one slot, and only the hash tag
/// (the first non-empty {…}) decides the slot. There is no cluster here, so these tests check the discipline itself:
/// every operation of the store is run through a recording connection, and every call with several keys must name
/// keys with one hash tag.
/// </summary>
[Collection(RedisStoreCollection.Name)]
public sealed class RedisHashTagTests(RedisStoreFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The hash tag as Redis Cluster computes it (CLUSTER KEYSLOT rules); the whole key when there is none.</summary>
    internal static string HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return key;
        }

        var close = key.IndexOf('}', open + 1);
        return close < 0 || close == open + 1 ? key : key[(open + 1)..close];
    }

    [Theory]
    [InlineData("wn:{dev:0102}:session", "dev:0102")]
    [InlineData("wn:{dev:0102}:queue:items", "dev:0102")]
    [InlineData("wn:{}:x{y}", "wn:{}:x{y}")]
    [InlineData("wn:{a}{b}", "a")]
    [InlineData("no-tag", "no-tag")]
    [InlineData("wn:{open", "wn:{open")]
    public void Hash_tag_follows_the_cluster_rules(string key, string expectedTag) => Assert.Equal(expectedTag, HashTag(key));

    [Fact]
    public void Keys_of_one_device_share_a_tag_that_no_other_device_or_concept_has()
    {
        var keys = new RedisKeys("wn");
        var devEui = NewEui();
        string[] deviceKeys =
        [
            keys.ActiveSession(devEui)!, keys.PendingSession(devEui)!, keys.JoinState(devEui)!, keys.UsedDevNonces(devEui)!,
            keys.DownlinkQueue(devEui)!, keys.DownlinkQueueItems(devEui)!,
        ];

        Assert.Single(deviceKeys.Select(HashTag).Distinct(StringComparer.Ordinal));
        Assert.Equal($"dev:{devEui}", HashTag(deviceKeys[0]));
        Assert.Equal(deviceKeys.Length, deviceKeys.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEqual(HashTag(deviceKeys[0]), HashTag(keys.ActiveSession(NewEui())!));
        Assert.NotEqual(HashTag(deviceKeys[0]), HashTag(keys.Device(devEui)!));
    }

    [Theory]
    [InlineData("plain-key_1.2:3")]
    [InlineData("with}brace")]
    [InlineData("with{brace")]
    [InlineData("")]
    [InlineData("spaces and ünïcödé")]
    public void Identifiers_of_any_shape_give_keys_with_a_proper_tag(string identifier)
    {
        var keys = new RedisKeys("wn");

        foreach (var key in new[] { (string)keys.Deduplication(identifier)!, (string)keys.Profile(identifier)! })
        {
            var tag = HashTag(key);
            Assert.NotEqual(key, tag);
            Assert.DoesNotContain('{', tag);
            Assert.EndsWith("}", key, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Long_identifiers_are_hashed_and_kept_apart()
    {
        var a = RedisKeys.EncodeIdentifier(new string('a', 500));
        var b = RedisKeys.EncodeIdentifier(new string('a', 499) + "b");

        Assert.StartsWith("#", a, StringComparison.Ordinal);
        Assert.Equal(33, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal("short", RedisKeys.EncodeIdentifier("short"));
    }

    [Theory]
    [InlineData("wn{")]
    [InlineData("}")]
    [InlineData(" ")]
    public void Prefix_with_braces_or_blank_is_rejected(string prefix) =>
        Assert.ThrowsAny<ArgumentException>(() => new RedisKeys(prefix));

    [Fact]
    public async Task Every_multi_key_call_of_every_operation_stays_within_one_hash_tag()
    {
        var recorder = new CallRecorder();
        var store = new RedisStore(RecordingMultiplexer.Wrap(fixture.Connection, recorder), new RedisStoreOptions { KeyPrefix = "wnt-tags" });

        await RunEveryOperationAsync(store);

        var violations = recorder.Calls
            .Where(call => call.Keys.Select(HashTag).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(call => $"{call.Operation}: {string.Join(", ", call.Keys)}")
            .ToList();
        Assert.Empty(violations);

        // The check means something only if every script ran (a script added later and never exercised would slip by).
        var scriptsRun = recorder.Calls.Select(c => c.Script).OfType<LuaScript>().ToHashSet();
        var allScripts = typeof(RedisScripts).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(LuaScript))
            .Select(f => (Name: f.Name, Script: (LuaScript)f.GetValue(null)!))
            .ToList();
        Assert.NotEmpty(allScripts);
        Assert.Empty(allScripts.Where(s => !scriptsRun.Contains(s.Script)).Select(s => s.Name));
        Assert.Contains(recorder.Calls, c => c.Keys.Count > 1 && c.Script is null);
    }

    private static async Task RunEveryOperationAsync(RedisStore store)
    {
        var devEui = NewEui();
        var oldAddr = NewDevAddr();
        var newAddr = NewDevAddr();
        var session = Session(devEui, oldAddr, MacVersion.LoRaWan1_1_0);

        await store.SaveActiveSessionAsync(session, None);
        await store.SavePendingSessionAsync(Session(devEui, newAddr), None);
        await store.SavePendingSessionAsync(Session(devEui, newAddr), None);
        await store.GetCandidatesAsync(newAddr, 16, None);
        await store.GetActiveSessionAsync(devEui, None);
        await store.GetPendingSessionAsync(devEui, None);
        await store.UpdateActiveSessionSettingsAsync(session with { DataRate = 1 }, None);
        await store.TryClaimUplinkAsync(devEui, oldAddr, fromPending: false, 1, None);
        await store.TryAdvanceDownlinkCounterAsync(devEui, applicationCounter: true, session.AFCntDown, None);
        await store.TryClaimUplinkAsync(devEui, newAddr, fromPending: true, 0, None);
        await store.DeleteAsync(devEui, None);

        await store.TryUseDevNonceAsync(devEui, 1, mustIncrease: true, None);
        await store.TryUseDevNonceAsync(devEui, 0, mustIncrease: false, None);
        await store.NextJoinNonceAsync(devEui, None);

        await store.AddReceptionAsync("frame", new byte[] { 1 }, TimeSpan.FromSeconds(5), None);
        await store.GetReceptionsAsync("frame", None);

        var item = Downlink(devEui, 1, 1);
        await store.EnqueueAsync(item, None);
        await store.PeekAsync(devEui, None);
        await store.ListAsync(devEui, None);
        await store.RemoveAsync(devEui, item.Id, None);
        await store.ClearAsync(devEui, None);
        await store.SaveInFlightAsync(new InFlightDownlink { DownlinkId = 1, DevEui = devEui, GatewayId = devEui, FCnt = 0 }, TimeSpan.FromSeconds(5), None);
        await store.TakeInFlightAsync(1, None);

        await store.PutDeviceAsync(DeviceRecord(devEui), None);
        await store.GetDeviceAsync(devEui, None);
        await store.DeleteDeviceAsync(devEui, None);
        await store.PutProfileAsync(new DeviceProfile { Id = "p", TenantId = "t" }, None);
        await store.GetProfileAsync("p", None);
        await store.PutGatewayAsync(GatewayRecord(devEui), None);
        await store.GetGatewayAsync(devEui, None);
        await store.DeleteGatewayAsync(devEui, None);
    }

    /// <summary>One call to the database: its method, the keys it named (directly or in a script's parameters), the script.</summary>
    internal sealed record RecordedCall(string Operation, IReadOnlyList<string> Keys, LuaScript? Script);

    internal sealed class CallRecorder
    {
        private readonly ConcurrentQueue<RecordedCall> _calls = new();

        public IReadOnlyCollection<RecordedCall> Calls => _calls;

        public void Record(MethodInfo method, object?[]? args)
        {
            var keys = new List<string>();
            LuaScript? script = null;
            foreach (var arg in args ?? [])
            {
                switch (arg)
                {
                    case RedisKey key:
                        keys.Add(key.ToString());
                        break;
                    case RedisKey[] keyArray:
                        keys.AddRange(keyArray.Select(k => k.ToString()));
                        break;
                    case LuaScript luaScript:
                        script = luaScript;
                        break;
                    case not null when arg.GetType().IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute)):
                        // Script parameters (an anonymous object): its RedisKey members become KEYS.
                        keys.AddRange(arg.GetType().GetProperties()
                            .Where(p => p.PropertyType == typeof(RedisKey))
                            .Select(p => ((RedisKey)p.GetValue(arg)!).ToString()));
                        break;
                }
            }

            _calls.Enqueue(new RecordedCall(method.Name, keys, script));
        }
    }

    /// <summary>
    /// Passes every call through to a real multiplexer; the databases it hands out record their calls. DispatchProxy
    /// needs an unsealed class with a public parameterless constructor, hence the shape.
    /// </summary>
    public class RecordingMultiplexer : DispatchProxy
    {
        private IConnectionMultiplexer _target = null!;
        private CallRecorder _recorder = null!;

        internal static IConnectionMultiplexer Wrap(IConnectionMultiplexer target, CallRecorder recorder)
        {
            var proxy = Create<IConnectionMultiplexer, RecordingMultiplexer>();
            var self = (RecordingMultiplexer)(object)proxy;
            self._target = target;
            self._recorder = recorder;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var result = Forward(targetMethod, _target, args);
            return result is IDatabase database ? RecordingDatabase.Wrap(database, _recorder) : result;
        }

        internal static object? Forward(MethodInfo method, object target, object?[]? args)
        {
            try
            {
                return method.Invoke(target, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(exception.InnerException);
                throw;
            }
        }
    }

    /// <summary>Records each call's keys, then passes it to the real database.</summary>
    public class RecordingDatabase : DispatchProxy
    {
        private IDatabase _target = null!;
        private CallRecorder _recorder = null!;

        internal static IDatabase Wrap(IDatabase target, CallRecorder recorder)
        {
            var proxy = Create<IDatabase, RecordingDatabase>();
            var self = (RecordingDatabase)(object)proxy;
            self._target = target;
            self._recorder = recorder;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            _recorder.Record(targetMethod, args);
            return RecordingMultiplexer.Forward(targetMethod, _target, args);
        }
    }
}
