// Where a stage's alarms send their notifications: the SNS topic the stage names, or one this
// construct creates, with an email subscription when an address is given (SNS mails a
// confirmation link first; nothing arrives until it is clicked).
import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { AlarmTopic as AlarmTopicSetting } from "./alarm-settings";

export interface AlarmTopicProps {
  /** Physical name of a topic created here, e.g. denwa-prod-alarms. */
  name: string;
  topic: AlarmTopicSetting;
}

export class AlarmTopic extends Construct {
  /** The topic the alarms act on. */
  readonly arn: string;
  readonly created?: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if ("arn" in props.topic) {
      this.arn = props.topic.arn;
      return;
    }
    this.created = new SnsTopic(this, "topic", { name: props.name });
    this.arn = this.created.arn;
    if (props.topic.email !== undefined) {
      new SnsTopicSubscription(this, "email", { topicArn: this.created.arn, protocol: "email", endpoint: props.topic.email });
    }
  }
}
