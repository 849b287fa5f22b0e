// swift-tools-version: 6.1
import PackageDescription

let optimized: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Quiver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quiver", targets: ["quiver"]),
        .library(name: "Quiver", targets: ["Quiver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "Columnar", swiftSettings: optimized),
        .target(name: "SQLSyntax"),
        .target(name: "Catalog", dependencies: ["Columnar"]),
        .target(name: "LogicalPlan", dependencies: ["Columnar", "Catalog"]),
        .target(name: "Binder", dependencies: ["SQLSyntax", "LogicalPlan", "Catalog"]),
        .target(name: "Optimizer", dependencies: ["LogicalPlan", "Catalog"]),
        .target(name: "Execution", dependencies: ["Columnar", "LogicalPlan", "Catalog"], swiftSettings: optimized),
        .target(name: "Quiver", dependencies: ["SQLSyntax", "Catalog", "LogicalPlan", "Binder", "Optimizer", "Execution"]),
        .target(name: "SQLLogicTest", dependencies: ["Quiver", "Columnar"]),
        .executableTarget(name: "quiver", dependencies: [
            "Quiver", "SQLLogicTest", "Columnar", "SQLSyntax",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "SQLSyntaxTests", dependencies: ["SQLSyntax"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog"]),
        .testTarget(name: "LogicalPlanTests", dependencies: ["LogicalPlan"]),
        .testTarget(name: "BinderTests", dependencies: ["Binder", "SQLSyntax", "Catalog"]),
        .testTarget(name: "OptimizerTests", dependencies: ["Optimizer", "LogicalPlan"]),
        .testTarget(name: "ExecutionTests", dependencies: ["Execution", "Columnar", "LogicalPlan", "Catalog"]),
        .testTarget(name: "QuiverTests", dependencies: ["Quiver", "SQLLogicTest", "Columnar", "Catalog"]),
    ]
)
