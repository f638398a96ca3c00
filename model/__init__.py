"""mfgbase: scenario model of Zhejiang manufacturing (package name `model`)."""
