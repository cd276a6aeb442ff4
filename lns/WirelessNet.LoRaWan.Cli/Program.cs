using System.CommandLine;
using WirelessNet.LoRaWan.Cli;

var root = new RootCommand("WirelessNet LoRaWAN frame tool: decode and verify PHYPayloads, or walk through an OTAA join.");
root.Subcommands.Add(DecodeCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
return root.Parse(args).Invoke();
