using System.Collections.Concurrent;
using WirelessNet.Lns.Devices;
using WirelessNet.Lns.Downlinks;
using WirelessNet.Lns.Storage;
using WirelessNet.LoRaWan.Primitives;
using static WirelessNet.Lns.Tests.Storage.StoreTestData;

namespace WirelessNet.Lns.Tests.Storage;

/// <summary>
/// The behaviour every store implementation must have: the network server pipeline is written against it, and a
/// deployment may switch between the in-memory and the Redis store. Each concrete subclass runs all of these.
/// </summary>
public abstract class StoreContractTests<TStore>
    where TStore : ISessionStore, IJoinStore, IDeduplicationStore, IDownlinkQueueStore, IDeviceRegistry
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A store with no data from other tests.</summary>
    protected abstract TStore Store { get; }

    /// <summary>Lets <paramref name="duration"/> of the store's clock pass (a manual clock, or real waiting).</summary>
    protected abstract Task LetTimePassAsync(TimeSpan duration);

    // Sessions: reads

    [Fact]
    public async Task Unknown_device_has_no_sessions_and_unknown_address_no_candidates()
    {
        var devEui = NewEui();

        Assert.Null(await Store.GetActiveSessionAsync(devEui, None));
        Assert.Null(await Store.GetPendingSessionAsync(devEui, None));
        Assert.Empty(await Store.GetCandidatesAsync(NewDevAddr(), 16, None));
    }

    [Fact]
    public async Task Saved_active_session_reads_back_with_every_field()
    {
        var session = Session(NewEui(), NewDevAddr(), MacVersion.LoRaWan1_1_0, fCntUp: 41);

        await Store.SaveActiveSessionAsync(session, None);

        AssertSameSession(session with { Pending = false }, await Store.GetActiveSessionAsync(session.DevEui, None));
        Assert.Null(await Store.GetPendingSessionAsync(session.DevEui, None));
    }

    [Fact]
    public async Task Saved_pending_session_reads_back_as_pending_and_leaves_the_active_one_in_place()
    {
        var devEui = NewEui();
        var active = Session(devEui, NewDevAddr(), fCntUp: 100);
        var pending = Session(devEui, NewDevAddr()) with { NFCntDown = 0, AFCntDown = 0 };

        await Store.SaveActiveSessionAsync(active, None);
        await Store.SavePendingSessionAsync(pending, None);

        AssertSameSession(pending with { Pending = true }, await Store.GetPendingSessionAsync(devEui, None));
        AssertSameSession(active, await Store.GetActiveSessionAsync(devEui, None));
    }

    [Fact]
    public async Task Session_without_uplink_keeps_a_null_uplink_counter()
    {
        var session = Session(NewEui(), NewDevAddr(), fCntUp: null);

        await Store.SaveActiveSessionAsync(session, None);

        Assert.Null((await Store.GetActiveSessionAsync(session.DevEui, None))!.FCntUp);
    }

    [Fact]
    public async Task Candidates_by_address_include_pending_and_active_sessions()
    {
        var devEui = NewEui();
        var activeAddr = NewDevAddr();
        var pendingAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, activeAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, pendingAddr), None);

        var byActive = await Store.GetCandidatesAsync(activeAddr, 16, None);
        var byPending = await Store.GetCandidatesAsync(pendingAddr, 16, None);

        var a = Assert.Single(byActive);
        Assert.False(a.Pending);
        Assert.Equal(devEui, a.DevEui);
        var p = Assert.Single(byPending);
        Assert.True(p.Pending);
        Assert.Equal(devEui, p.DevEui);
    }

    [Fact]
    public async Task Candidates_by_address_include_both_sessions_of_a_device_that_rejoined_with_the_same_address()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: 5), None);
        await Store.SavePendingSessionAsync(Session(devEui, devAddr), None);

        var candidates = await Store.GetCandidatesAsync(devAddr, 16, None);

        Assert.Equal(2, candidates.Count);
        Assert.Single(candidates, c => c.Pending);
        Assert.Single(candidates, c => !c.Pending);
    }

    [Fact]
    public async Task Candidates_of_colliding_devices_are_all_returned_up_to_the_limit()
    {
        var devAddr = NewDevAddr();
        var devEuis = Enumerable.Range(0, 5).Select(_ => NewEui()).ToList();
        foreach (var devEui in devEuis)
        {
            await Store.SaveActiveSessionAsync(Session(devEui, devAddr), None);
        }

        var all = await Store.GetCandidatesAsync(devAddr, 16, None);
        var limited = await Store.GetCandidatesAsync(devAddr, 3, None);

        Assert.Equal(devEuis.Order(), all.Select(c => c.DevEui).Order());
        Assert.Equal(3, limited.Count);
        Assert.Empty(await Store.GetCandidatesAsync(devAddr, 0, None));
    }

    // Sessions: writes

    [Fact]
    public async Task Replacing_a_pending_session_drops_the_old_pending_address()
    {
        var devEui = NewEui();
        var firstAddr = NewDevAddr();
        var secondAddr = NewDevAddr();
        await Store.SavePendingSessionAsync(Session(devEui, firstAddr), None);

        await Store.SavePendingSessionAsync(Session(devEui, secondAddr), None);

        Assert.Empty(await Store.GetCandidatesAsync(firstAddr, 16, None));
        Assert.Equal(secondAddr, Assert.Single(await Store.GetCandidatesAsync(secondAddr, 16, None)).DevAddr);
        Assert.Equal(secondAddr, (await Store.GetPendingSessionAsync(devEui, None))!.DevAddr);
    }

    [Fact]
    public async Task Replacing_the_active_session_keeps_the_counters_as_given()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: 500) with { NFCntDown = 40 }, None);

        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: 3) with { NFCntDown = 2, DataRate = 1 }, None);

        var stored = await Store.GetActiveSessionAsync(devEui, None);
        Assert.Equal(3u, stored!.FCntUp);
        Assert.Equal(2u, stored.NFCntDown);
        Assert.Equal(1, stored.DataRate);
    }

    [Fact]
    public async Task Settings_update_keeps_the_counters_and_ignores_a_session_with_another_address()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        var session = Session(devEui, devAddr, MacVersion.LoRaWan1_1_0, fCntUp: 10);
        await Store.SaveActiveSessionAsync(session, None);
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 11, None));
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(devEui, applicationCounter: true, session.AFCntDown, None));

        // Settings computed from the session as read before the counters moved: stale counters must not win.
        await Store.UpdateActiveSessionSettingsAsync(session with { DataRate = 2, TxPowerIndex = 4, FCntUp = 0, AFCntDown = 0, NFCntDown = 0 }, None);
        await Store.UpdateActiveSessionSettingsAsync(session with { DevAddr = NewDevAddr(), DataRate = 0 }, None);

        var stored = await Store.GetActiveSessionAsync(devEui, None);
        Assert.Equal(2, stored!.DataRate);
        Assert.Equal(4, stored.TxPowerIndex);
        Assert.Equal(11u, stored.FCntUp);
        Assert.Equal(session.AFCntDown + 1, stored.AFCntDown);
        Assert.Equal(session.NFCntDown, stored.NFCntDown);
        Assert.Equal(devAddr, stored.DevAddr);
    }

    [Fact]
    public async Task A_claim_journals_its_event_until_completed_and_a_refused_claim_journals_nothing()
    {
        var devEui = NewEui();
        var session = Session(devEui, NewDevAddr(), MacVersion.LoRaWan1_0_4, fCntUp: 10);
        await Store.SaveActiveSessionAsync(session, None);
        byte[] first = [1, .. BitConverter.GetBytes(DateTimeOffset.UtcNow.AddMinutes(-5).UtcTicks), 1];
        byte[] replayed = [1, .. BitConverter.GetBytes(DateTimeOffset.UtcNow.AddMinutes(-5).UtcTicks), 2];
        byte[] second = [1, .. BitConverter.GetBytes(DateTimeOffset.UtcNow.AddMinutes(-4).UtcTicks), 3];

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(session, fromPending: false, 11, first, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(session, fromPending: false, 11, replayed, None));
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(session, fromPending: false, 12, second, None));

        // Entries recorded before the cut-off are found; newer ones are still being published.
        var mine = (await Store.ReadUplinkEventsAsync(DateTimeOffset.UtcNow, 10_000, None)).Where(e => e.DevEui == devEui).Select(e => e.Entry).ToList();
        Assert.Equal([first, second], mine);
        Assert.DoesNotContain((await Store.ReadUplinkEventsAsync(DateTimeOffset.UtcNow.AddMinutes(-10), 10_000, None)), e => e.DevEui == devEui);

        await Store.CompleteUplinkEventAsync(devEui, first, None);
        await Store.CompleteUplinkEventAsync(devEui, first, None);
        mine = (await Store.ReadUplinkEventsAsync(DateTimeOffset.UtcNow, 10_000, None)).Where(e => e.DevEui == devEui).Select(e => e.Entry).ToList();
        Assert.Equal([second], mine);
        Assert.Equal(12u, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    [Fact]
    public async Task A_claim_with_settings_stores_them_with_the_counter_and_a_refused_claim_stores_nothing()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        var session = Session(devEui, devAddr, MacVersion.LoRaWan1_1_0, fCntUp: 10);
        await Store.SaveActiveSessionAsync(session, None);
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(devEui, applicationCounter: false, session.NFCntDown, None));

        // Computed from the session as read: its downlink counters are stale by now and must not be written back.
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(session with { DataRate = 3, TxPowerIndex = 2 }, fromPending: false, 12, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(session with { DataRate = 5 }, fromPending: false, 12, None));
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(session with { DevAddr = NewDevAddr(), DataRate = 0 }, fromPending: false, 13, None));

        var stored = await Store.GetActiveSessionAsync(devEui, None);
        Assert.Equal(12u, stored!.FCntUp);
        Assert.Equal(3, stored.DataRate);
        Assert.Equal(2, stored.TxPowerIndex);
        Assert.Equal(session.NFCntDown + 1, stored.NFCntDown);
        Assert.Equal(devAddr, stored.DevAddr);
    }

    [Fact]
    public async Task A_claim_with_settings_from_the_pending_session_promotes_it_with_them()
    {
        var devEui = NewEui();
        var oldAddr = NewDevAddr();
        var newAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, oldAddr), None);
        var pending = Session(devEui, newAddr);
        await Store.SavePendingSessionAsync(pending, None);

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(pending with { DataRate = 4, Pending = false }, fromPending: true, 0, None));

        var stored = await Store.GetActiveSessionAsync(devEui, None);
        Assert.Equal(newAddr, stored!.DevAddr);
        Assert.Equal(4, stored.DataRate);
        Assert.Equal(0u, stored.FCntUp);
        Assert.Null(await Store.GetPendingSessionAsync(devEui, None));
        Assert.Empty(await Store.GetCandidatesAsync(oldAddr, 16, None));
    }

    [Fact]
    public async Task Settings_update_without_an_active_session_creates_none()
    {
        var session = Session(NewEui(), NewDevAddr());

        await Store.UpdateActiveSessionSettingsAsync(session, None);

        Assert.Null(await Store.GetActiveSessionAsync(session.DevEui, None));
        Assert.Empty(await Store.GetCandidatesAsync(session.DevAddr, 16, None));
    }

    [Fact]
    public async Task Delete_removes_both_sessions_and_their_addresses()
    {
        var devEui = NewEui();
        var activeAddr = NewDevAddr();
        var pendingAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, activeAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, pendingAddr), None);

        await Store.DeleteAsync(devEui, None);

        Assert.Null(await Store.GetActiveSessionAsync(devEui, None));
        Assert.Null(await Store.GetPendingSessionAsync(devEui, None));
        Assert.Empty(await Store.GetCandidatesAsync(activeAddr, 16, None));
        Assert.Empty(await Store.GetCandidatesAsync(pendingAddr, 16, None));
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(devEui, activeAddr, fromPending: false, 1, None));
    }

    // Uplink counter claims

    [Fact]
    public async Task Pending_claim_promotes_the_session_and_drops_the_old_address()
    {
        var devEui = NewEui();
        var oldAddr = NewDevAddr();
        var newAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, oldAddr, fCntUp: 900), None);
        var joined = Session(devEui, newAddr) with { NFCntDown = 0, AFCntDown = 0, DataRate = 3 };
        await Store.SavePendingSessionAsync(joined, None);

        var claim = await Store.TryClaimUplinkAsync(devEui, newAddr, fromPending: true, 0, None);

        Assert.Equal(UplinkClaim.Accepted, claim);
        AssertSameSession(joined with { FCntUp = 0, Pending = false }, await Store.GetActiveSessionAsync(devEui, None));
        Assert.Null(await Store.GetPendingSessionAsync(devEui, None));
        Assert.Empty(await Store.GetCandidatesAsync(oldAddr, 16, None));
        var candidate = Assert.Single(await Store.GetCandidatesAsync(newAddr, 16, None));
        Assert.False(candidate.Pending);
        Assert.Equal(0u, candidate.FCntUp);
    }

    [Fact]
    public async Task Pending_claim_with_the_same_address_keeps_the_address_indexed()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: 900), None);
        await Store.SavePendingSessionAsync(Session(devEui, devAddr), None);

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: true, 2, None));

        var candidate = Assert.Single(await Store.GetCandidatesAsync(devAddr, 16, None));
        Assert.Equal(2u, candidate.FCntUp);
    }

    [Fact]
    public async Task Pending_claim_without_a_device_first_session_works()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SavePendingSessionAsync(Session(devEui, devAddr), None);

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: true, 7, None));

        Assert.Equal(7u, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    [Fact]
    public async Task Pending_claim_for_a_replaced_or_missing_pending_session_reports_session_changed()
    {
        var devEui = NewEui();
        var firstAddr = NewDevAddr();
        var secondAddr = NewDevAddr();
        await Store.SavePendingSessionAsync(Session(devEui, firstAddr), None);
        await Store.SavePendingSessionAsync(Session(devEui, secondAddr), None);

        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(devEui, firstAddr, fromPending: true, 0, None));
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(NewEui(), firstAddr, fromPending: true, 0, None));
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, secondAddr, fromPending: true, 0, None));

        // Promoted: a second frame verified against the pending session finds none.
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(devEui, secondAddr, fromPending: true, 1, None));
    }

    [Fact]
    public async Task Active_claims_accept_increasing_counters_and_reject_replays()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: null), None);

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 0, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 0, None));
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 5, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 5, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, 4, None));
        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, uint.MaxValue, None));
        Assert.Equal(UplinkClaim.Replay, await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, uint.MaxValue, None));

        Assert.Equal(uint.MaxValue, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    [Fact]
    public async Task Active_claim_for_another_address_or_no_session_reports_session_changed()
    {
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: 3), None);

        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(devEui, NewDevAddr(), fromPending: false, 4, None));
        Assert.Equal(UplinkClaim.SessionChanged, await Store.TryClaimUplinkAsync(NewEui(), devAddr, fromPending: false, 4, None));
        Assert.Equal(3u, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    [Fact]
    public async Task Active_claims_keep_using_the_active_session_while_a_join_is_pending()
    {
        var devEui = NewEui();
        var activeAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, activeAddr, fCntUp: 3), None);
        await Store.SavePendingSessionAsync(Session(devEui, NewDevAddr()), None);

        Assert.Equal(UplinkClaim.Accepted, await Store.TryClaimUplinkAsync(devEui, activeAddr, fromPending: false, 4, None));

        Assert.NotNull(await Store.GetPendingSessionAsync(devEui, None));
        Assert.Equal(4u, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    // Downlink counters

    [Fact]
    public async Task Network_downlink_counter_moves_only_from_the_used_value()
    {
        var session = Session(NewEui(), NewDevAddr()) with { NFCntDown = 7 };
        await Store.SaveActiveSessionAsync(session, None);

        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: false, 6, None));
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: false, 7, None));
        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: false, 7, None));
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: false, 8, None));

        Assert.Equal(9u, (await Store.GetActiveSessionAsync(session.DevEui, None))!.NFCntDown);
    }

    [Fact]
    public async Task Application_downlink_counter_is_separate_on_LoRaWan_1_1()
    {
        var session = Session(NewEui(), NewDevAddr(), MacVersion.LoRaWan1_1_0) with { NFCntDown = 7, AFCntDown = 3 };
        await Store.SaveActiveSessionAsync(session, None);

        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: true, 7, None));
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: true, 3, None));

        var stored = await Store.GetActiveSessionAsync(session.DevEui, None);
        Assert.Equal(4u, stored!.AFCntDown);
        Assert.Equal(7u, stored.NFCntDown);
    }

    [Fact]
    public async Task Application_downlink_counter_is_the_network_counter_on_LoRaWan_1_0()
    {
        var session = Session(NewEui(), NewDevAddr(), MacVersion.LoRaWan1_0_3) with { NFCntDown = 7, AFCntDown = 3 };
        await Store.SaveActiveSessionAsync(session, None);

        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: true, 3, None));
        Assert.True(await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: true, 7, None));

        var stored = await Store.GetActiveSessionAsync(session.DevEui, None);
        Assert.Equal(8u, stored!.NFCntDown);
        Assert.Equal(3u, stored.AFCntDown);
    }

    [Fact]
    public async Task Downlink_counter_without_an_active_session_does_not_move()
    {
        var devEui = NewEui();
        await Store.SavePendingSessionAsync(Session(devEui, NewDevAddr()) with { NFCntDown = 0 }, None);

        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(devEui, applicationCounter: false, 0, None));
        Assert.False(await Store.TryAdvanceDownlinkCounterAsync(NewEui(), applicationCounter: false, 0, None));
    }

    // Joins

    [Fact]
    public async Task Increasing_DevNonces_must_exceed_every_earlier_one()
    {
        var devEui = NewEui();

        Assert.True(await Store.TryUseDevNonceAsync(devEui, 5, mustIncrease: true, None));
        Assert.False(await Store.TryUseDevNonceAsync(devEui, 5, mustIncrease: true, None));
        Assert.False(await Store.TryUseDevNonceAsync(devEui, 4, mustIncrease: true, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 6, mustIncrease: true, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, ushort.MaxValue, mustIncrease: true, None));
        Assert.False(await Store.TryUseDevNonceAsync(devEui, ushort.MaxValue, mustIncrease: true, None));

        // Another device has its own history.
        Assert.True(await Store.TryUseDevNonceAsync(NewEui(), 0, mustIncrease: true, None));
    }

    [Fact]
    public async Task Random_DevNonces_must_never_repeat_but_may_decrease()
    {
        var devEui = NewEui();

        Assert.True(await Store.TryUseDevNonceAsync(devEui, 500, mustIncrease: false, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 3, mustIncrease: false, None));
        Assert.False(await Store.TryUseDevNonceAsync(devEui, 500, mustIncrease: false, None));
        Assert.False(await Store.TryUseDevNonceAsync(devEui, 3, mustIncrease: false, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 0, mustIncrease: false, None));
    }

    [Fact]
    public async Task Increasing_rule_compares_with_the_highest_DevNonce_of_either_rule()
    {
        var devEui = NewEui();
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 500, mustIncrease: false, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 3, mustIncrease: false, None));

        Assert.False(await Store.TryUseDevNonceAsync(devEui, 499, mustIncrease: true, None));
        Assert.True(await Store.TryUseDevNonceAsync(devEui, 501, mustIncrease: true, None));

        // And DevNonces used under the increasing rule count as used for the random rule.
        Assert.False(await Store.TryUseDevNonceAsync(devEui, 501, mustIncrease: false, None));
    }

    [Fact]
    public async Task JoinNonces_increase_per_device_within_24_bits()
    {
        var first = NewEui();
        var second = NewEui();

        var nonces = new List<uint>();
        for (var i = 0; i < 5; i++)
        {
            nonces.Add(await Store.NextJoinNonceAsync(first, None));
        }

        Assert.Equal(new uint[] { 1, 2, 3, 4, 5 }, nonces);
        Assert.Equal(1u, await Store.NextJoinNonceAsync(second, None));
        Assert.All(nonces, n => Assert.InRange(n, 0u, 0xFF_FFFFu));
    }

    // Deduplication

    [Fact]
    public async Task First_reception_elects_the_collector_and_all_receptions_are_collected_in_order()
    {
        var key = "frame:" + Guid.NewGuid().ToString("N");
        var lifetime = TimeSpan.FromSeconds(30);

        Assert.True(await Store.AddReceptionAsync(key, new byte[] { 1, 2 }, lifetime, None));
        Assert.False(await Store.AddReceptionAsync(key, new byte[] { 3 }, lifetime, None));
        Assert.False(await Store.AddReceptionAsync(key, new byte[] { 1, 2 }, lifetime, None));

        var receptions = await Store.GetReceptionsAsync(key, None);
        Assert.Equal(new byte[][] { [1, 2], [3], [1, 2] }, receptions);
        Assert.Empty(await Store.GetReceptionsAsync(key + "-other", None));
    }

    [Fact]
    public async Task Deduplication_keys_of_any_shape_are_kept_apart()
    {
        var lifetime = TimeSpan.FromSeconds(30);
        var unique = Guid.NewGuid().ToString("N");
        string[] keys = [unique + "{a}", unique + "{b}", unique + new string('x', 500), unique + "ünï cödé"];

        foreach (var key in keys)
        {
            Assert.True(await Store.AddReceptionAsync(key, System.Text.Encoding.UTF8.GetBytes(key), lifetime, None));
        }

        foreach (var key in keys)
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(key), Assert.Single(await Store.GetReceptionsAsync(key, None)));
        }
    }

    [Fact]
    public async Task Expired_deduplication_set_starts_over()
    {
        var key = "frame:" + Guid.NewGuid().ToString("N");
        var lifetime = TimeSpan.FromMilliseconds(300);
        Assert.True(await Store.AddReceptionAsync(key, new byte[] { 1 }, lifetime, None));
        Assert.False(await Store.AddReceptionAsync(key, new byte[] { 2 }, lifetime, None));

        await LetTimePassAsync(TimeSpan.FromMilliseconds(600));

        Assert.True(await Store.AddReceptionAsync(key, new byte[] { 3 }, lifetime, None));
        Assert.Equal(new byte[][] { [3] }, await Store.GetReceptionsAsync(key, None));
    }

    // Downlink queue

    [Fact]
    public async Task Queue_keeps_order_and_removes_items_once()
    {
        var devEui = NewEui();
        var first = Downlink(devEui, 1, 0xAA);
        var second = Downlink(devEui, 2, 0xBB, 0xCC);
        var third = Downlink(devEui, 3);

        Assert.Null(await Store.PeekAsync(devEui, None));
        await Store.EnqueueAsync(first, None);
        await Store.EnqueueAsync(second, None);
        await Store.EnqueueAsync(third, None);

        AssertSameDownlink(first, await Store.PeekAsync(devEui, None));
        var listed = await Store.ListAsync(devEui, None);
        Assert.Equal(new[] { first.Id, second.Id, third.Id }, listed.Select(d => d.Id));
        AssertSameDownlink(second, listed[1]);

        Assert.True(await Store.RemoveAsync(devEui, second.Id, None));
        Assert.False(await Store.RemoveAsync(devEui, second.Id, None));
        Assert.False(await Store.RemoveAsync(NewEui(), first.Id, None));
        Assert.Equal(new[] { first.Id, third.Id }, (await Store.ListAsync(devEui, None)).Select(d => d.Id));

        Assert.True(await Store.RemoveAsync(devEui, first.Id, None));
        AssertSameDownlink(third, await Store.PeekAsync(devEui, None));
    }

    [Fact]
    public async Task Clearing_a_queue_leaves_other_devices_alone()
    {
        var devEui = NewEui();
        var other = NewEui();
        await Store.EnqueueAsync(Downlink(devEui, 1, 1), None);
        await Store.EnqueueAsync(Downlink(devEui, 2, 2), None);
        var kept = Downlink(other, 3, 3);
        await Store.EnqueueAsync(kept, None);

        await Store.ClearAsync(devEui, None);
        await Store.ClearAsync(NewEui(), None);

        Assert.Null(await Store.PeekAsync(devEui, None));
        Assert.Empty(await Store.ListAsync(devEui, None));
        AssertSameDownlink(kept, Assert.Single(await Store.ListAsync(other, None)));

        // A cleared queue is usable again.
        var again = Downlink(devEui, 4, 4);
        await Store.EnqueueAsync(again, None);
        AssertSameDownlink(again, await Store.PeekAsync(devEui, None));
    }

    [Fact]
    public async Task In_flight_downlink_is_taken_once()
    {
        var downlink = InFlight(queueItemId: Guid.NewGuid());
        await Store.SaveInFlightAsync(downlink, TimeSpan.FromSeconds(30), None);

        Assert.Equal(downlink, await Store.TakeInFlightAsync(downlink.DownlinkId, None));
        Assert.Null(await Store.TakeInFlightAsync(downlink.DownlinkId, None));
        Assert.Null(await Store.TakeInFlightAsync(downlink.DownlinkId + 1, None));
    }

    [Fact]
    public async Task In_flight_downlink_expires()
    {
        var downlink = InFlight(queueItemId: null);
        await Store.SaveInFlightAsync(downlink, TimeSpan.FromMilliseconds(300), None);

        await LetTimePassAsync(TimeSpan.FromMilliseconds(600));

        Assert.Null(await Store.TakeInFlightAsync(downlink.DownlinkId, None));
    }

    [Fact]
    public async Task Concurrent_takes_of_one_in_flight_downlink_yield_it_once()
    {
        var downlink = InFlight(queueItemId: Guid.NewGuid());
        await Store.SaveInFlightAsync(downlink, TimeSpan.FromSeconds(30), None);

        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await Store.TakeInFlightAsync(downlink.DownlinkId, None))));

        Assert.Single(takes, t => t is not null);
    }

    private static long _lastDownlinkId = Random.Shared.Next(0, int.MaxValue / 2);

    private static InFlightDownlink InFlight(Guid? queueItemId) => new()
    {
        DownlinkId = (uint)Interlocked.Increment(ref _lastDownlinkId),
        DevEui = NewEui(),
        GatewayId = NewEui(),
        QueueItemId = queueItemId,
        FCnt = 12,
        UsesApplicationCounter = true,
        IsJoinAccept = false,
        SentAt = new DateTimeOffset(2026, 11, 26, 7, 0, 0, TimeSpan.Zero),
    };

    private static void AssertSameDownlink(QueuedDownlink expected, QueuedDownlink? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Data = [] }, actual with { Data = [] });
        Assert.Equal(expected.Data, actual.Data);
    }

    // Registry

    [Fact]
    public async Task Devices_are_created_read_replaced_and_deleted()
    {
        var device = DeviceRecord(NewEui());

        Assert.Null(await Store.GetDeviceAsync(device.DevEui, None));
        await Store.PutDeviceAsync(device, None);
        Assert.Equal(device, await Store.GetDeviceAsync(device.DevEui, None));

        var renamed = device with { Name = "renamed", NwkKey = Key(11), Disabled = true };
        await Store.PutDeviceAsync(renamed, None);
        Assert.Equal(renamed, await Store.GetDeviceAsync(device.DevEui, None));

        Assert.True(await Store.DeleteDeviceAsync(device.DevEui, None));
        Assert.False(await Store.DeleteDeviceAsync(device.DevEui, None));
        Assert.Null(await Store.GetDeviceAsync(device.DevEui, None));
    }

    [Fact]
    public async Task Profiles_are_created_read_and_replaced()
    {
        var id = "profile/" + Guid.NewGuid().ToString("N");
        var profile = new DeviceProfile { Id = id, TenantId = "tenant-1", Name = "class C", MacVersion = MacVersion.LoRaWan1_1_0, SupportsClassC = true, MaxCopies = 3 };

        Assert.Null(await Store.GetProfileAsync(id, None));
        await Store.PutProfileAsync(profile, None);
        Assert.Equal(profile, await Store.GetProfileAsync(id, None));

        var changed = profile with { Region = "as923", SupportsOtaa = false };
        await Store.PutProfileAsync(changed, None);
        Assert.Equal(changed, await Store.GetProfileAsync(id, None));
        Assert.Null(await Store.GetProfileAsync(id + "{x}", None));
    }

    [Fact]
    public async Task Gateways_are_created_read_replaced_and_deleted()
    {
        var gateway = GatewayRecord(NewEui());

        Assert.Null(await Store.GetGatewayAsync(gateway.GatewayId, None));
        await Store.PutGatewayAsync(gateway, None);
        Assert.Equal(gateway, await Store.GetGatewayAsync(gateway.GatewayId, None));

        var denied = gateway with { Denied = true, Location = null };
        await Store.PutGatewayAsync(denied, None);
        Assert.Equal(denied, await Store.GetGatewayAsync(gateway.GatewayId, None));

        Assert.True(await Store.DeleteGatewayAsync(gateway.GatewayId, None));
        Assert.False(await Store.DeleteGatewayAsync(gateway.GatewayId, None));
        Assert.Null(await Store.GetGatewayAsync(gateway.GatewayId, None));
    }

    // Concurrency: several server instances (here: tasks) race for the same counters.

    [Fact]
    public async Task Parallel_claims_of_overlapping_counters_accept_each_counter_exactly_once()
    {
        const int Tasks = 16;
        const int Counters = 200;
        var devEui = NewEui();
        var devAddr = NewDevAddr();
        await Store.SaveActiveSessionAsync(Session(devEui, devAddr, fCntUp: null), None);
        var acceptedPerCounter = new ConcurrentDictionary<uint, int>();

        using var start = new SemaphoreSlim(0, Tasks);
        var workers = Enumerable.Range(0, Tasks).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();

            // Every task sees every frame in order, as every instance receives every gateway's copy.
            for (uint fCnt = 1; fCnt <= Counters; fCnt++)
            {
                if (await Store.TryClaimUplinkAsync(devEui, devAddr, fromPending: false, fCnt, None) == UplinkClaim.Accepted)
                {
                    acceptedPerCounter.AddOrUpdate(fCnt, 1, (_, n) => n + 1);
                }
            }
        })).ToList();
        start.Release(Tasks);
        await Task.WhenAll(workers);

        Assert.Equal(Enumerable.Range(1, Counters).Select(i => (uint)i), acceptedPerCounter.Keys.Order());
        Assert.All(acceptedPerCounter, entry => Assert.Equal(1, entry.Value));
        Assert.Equal((uint)Counters, (await Store.GetActiveSessionAsync(devEui, None))!.FCntUp);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_submissions_of_one_DevNonce_admit_exactly_one(bool mustIncrease)
    {
        for (var round = 0; round < 25; round++)
        {
            var devEui = NewEui();
            var devNonce = (ushort)(100 + round);

            var results = await Task.WhenAll(
                Task.Run(async () => await Store.TryUseDevNonceAsync(devEui, devNonce, mustIncrease, None)),
                Task.Run(async () => await Store.TryUseDevNonceAsync(devEui, devNonce, mustIncrease, None)));

            Assert.Single(results, accepted => accepted);
        }
    }

    [Fact]
    public async Task Concurrent_downlink_counter_advances_from_one_value_succeed_once()
    {
        var session = Session(NewEui(), NewDevAddr()) with { NFCntDown = 20 };
        await Store.SaveActiveSessionAsync(session, None);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(async () => await Store.TryAdvanceDownlinkCounterAsync(session.DevEui, applicationCounter: false, 20, None))));

        Assert.Single(results, advanced => advanced);
        Assert.Equal(21u, (await Store.GetActiveSessionAsync(session.DevEui, None))!.NFCntDown);
    }

    [Fact]
    public async Task Concurrent_JoinNonces_are_all_distinct()
    {
        var devEui = NewEui();

        var nonces = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await Store.NextJoinNonceAsync(devEui, None))));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), nonces.Order());
    }
}
