using ConfigManager.Plugins.Vault;
using ConfigManager.PluginSdk;
using ConfigManager.PluginSdk.Stores;

using var api = new VaultHttpApi(VaultSettings.FromEnvironment());
return await PluginServer.RunAsync(new VaultKvTokenStore(api, StoreRetryOptions.Default), new PluginServerOptions { Name = "vault" });
