using ConfigManager.Plugins.GcpSecrets;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

using var http = StoreHttp.CreateClient();
var settings = GcpSettings.FromEnvironment();
var credential = new GoogleAccessTokenSource(settings, http);
return await PluginServer.RunAsync(new SecretManagerTokenStore(settings, credential, http, StoreRetryOptions.Default), new PluginServerOptions { Name = "gcpsecrets" });
