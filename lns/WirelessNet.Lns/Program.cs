using WirelessNet.Lns.Hosting;

await NetworkServerHost.Build(args).RunAsync().ConfigureAwait(false);
