using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WirelessNet.Lns.Api;
using WirelessNet.Lns.Pipeline;
using WirelessNet.Lns.Storage.Management;

namespace WirelessNet.Lns.Tests.Api;

/// <summary>What <see cref="ManagementApiExtensions.AddManagementApi"/> registers and refuses.</summary>
public sealed class ManagementApiRegistrationTests
{
    [Fact]
    public void Wraps_the_hosts_device_event_sink_registered_by_type()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDeviceEventSink, CountingEventSink>();
        services.AddManagementApi(Configuration(ApiTestServer.AdminKey));

        using var provider = services.BuildServiceProvider();
        var sink = provider.GetRequiredService<IDeviceEventSink>();
        Assert.IsType<RecentFramesEventSink>(sink);
        Assert.Same(sink, provider.GetRequiredService<IDeviceEventSink>());
        Assert.IsType<InMemoryTenantDirectory>(provider.GetRequiredService<ITenantDirectory>());
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("0123456789012345678901234567890")]
    public void Refuses_a_short_admin_key(string adminKey)
    {
        var services = new ServiceCollection();
        services.AddManagementApi(Configuration(adminKey));
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ManagementApiOptions>>().Value);
        Assert.Contains("Api:AdminKey", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(adminKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_admin_key_disables_admin_calls_but_starts()
    {
        var services = new ServiceCollection();
        services.AddManagementApi(Configuration(null));
        using var provider = services.BuildServiceProvider();
        Assert.True(string.IsNullOrEmpty(provider.GetRequiredService<IOptions<ManagementApiOptions>>().Value.AdminKey));
        var authenticator = provider.GetRequiredService<ApiKeyAuthenticator>();
        Assert.Null(await authenticator.AuthenticateAsync("Bearer ", default));
        Assert.Null(await authenticator.AuthenticateAsync("Bearer " + ApiTestServer.AdminKey, default));
    }

    private static IConfiguration Configuration(string? adminKey) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Api:AdminKey"] = adminKey }).Build();
}
