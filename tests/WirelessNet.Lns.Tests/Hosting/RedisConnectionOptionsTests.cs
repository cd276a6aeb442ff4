using WirelessNet.Lns.Hosting;

namespace WirelessNet.Lns.Tests.Hosting;

public sealed class RedisConnectionOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379", false)]
    [InlineData("127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002", false)]
    [InlineData("127.0.0.1:6379,abortConnect=true", true)]
    [InlineData("127.0.0.1:6379,abortConnect=false", false)]
    public void The_server_waits_for_redis_unless_the_configuration_says_otherwise(string configuration, bool abortOnConnectFail)
    {
        var options = NetworkServerServiceCollectionExtensions.RedisConnectionOptions(configuration);

        Assert.Equal(abortOnConnectFail, options.AbortOnConnectFail);
        Assert.NotEmpty(options.EndPoints);
    }
}
